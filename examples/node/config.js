'use strict';
/*
 * Connection settings shared by producer.js and consumer.js. They read the worker's own environment variables
 * (KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, TOPICS_REQUESTS, TOPICS_RESULTS), so a shell configured for the
 * worker is configured for the example; command-line options override them. Secrets come only from the
 * environment, never from the command line:
 *   KAFKA_SASL_MECHANISM (plain, scram-sha-256, scram-sha-512), KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD,
 *   KAFKA_SSL=true (TLS with the system's CAs; implied by SASL), SCHEMA_REGISTRY_USER_INFO=key:secret.
 */
const { parseArgs } = require('util');
const { Kafka, logLevel } = require('kafkajs');
const { SchemaRegistry } = require('@kafkajs/confluent-schema-registry');

const env = process.env;

/** Options every script accepts, for node:util parseArgs. */
const connectionOptions = {
  brokers: { type: 'string', default: env.KAFKA_BOOTSTRAP_SERVERS || 'localhost:9092' },
  registry: { type: 'string', default: env.SCHEMA_REGISTRY_URL || 'http://localhost:8081' },
  'requests-topic': { type: 'string', default: env.TOPICS_REQUESTS || 'inference.requests' },
  'results-topic': { type: 'string', default: env.TOPICS_RESULTS || 'inference.results' },
  help: { type: 'boolean', short: 'h', default: false },
};

const connectionHelp = `
Connection (defaults from the worker's environment variables):
  --brokers HOST:PORT,...   Kafka bootstrap servers (KAFKA_BOOTSTRAP_SERVERS, default localhost:9092)
  --registry URL            Schema registry URL (SCHEMA_REGISTRY_URL, default http://localhost:8081)
  --requests-topic TOPIC    Request topic (TOPICS_REQUESTS, default inference.requests)
  --results-topic TOPIC     Result topic (TOPICS_RESULTS, default inference.results)
Secrets, from the environment only: KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD, KAFKA_SSL=true,
SCHEMA_REGISTRY_USER_INFO=key:secret.`;

/** kafkajs logs to stderr, so stdout carries only the scripts' output. */
function stderrLogCreator() {
  return ({ namespace, level, log }) => {
    const { message, ...extra } = log;
    process.stderr.write(`[kafkajs ${namespace}] ${message} ${JSON.stringify(extra)}\n`);
  };
}

function kafka(options, clientId) {
  const mechanism = env.KAFKA_SASL_MECHANISM;
  return new Kafka({
    clientId,
    brokers: options.brokers.split(',').map((broker) => broker.trim()).filter(Boolean),
    ssl: env.KAFKA_SSL === 'true' || Boolean(mechanism),
    sasl: mechanism
      ? { mechanism, username: env.KAFKA_SASL_USERNAME, password: env.KAFKA_SASL_PASSWORD }
      : undefined,
    logLevel: logLevel.WARN,
    logCreator: stderrLogCreator,
    retry: { retries: 5 },
  });
}

function registry(options) {
  const userInfo = env.SCHEMA_REGISTRY_USER_INFO;
  let auth;
  if (userInfo) {
    const colon = userInfo.indexOf(':');
    auth = { username: userInfo.slice(0, colon), password: userInfo.slice(colon + 1) };
  }
  return new SchemaRegistry({ host: options.registry, auth, retry: { retries: 2 } });
}

/** Fails with a one-line message and exit code 1 (2 for usage errors), never a stack trace. */
function exitWith(error, code = 1) {
  process.stderr.write(`error: ${error && error.message ? error.message : error}\n`);
  process.exit(code);
}

/** node:util parseArgs, with an unknown or malformed option as a usage error (exit code 2). */
function parseOrExit(config) {
  try {
    return parseArgs(config);
  } catch (error) {
    return exitWith(`${error.message} (--help lists the options)`, 2);
  }
}

module.exports = { connectionOptions, connectionHelp, kafka, registry, exitWith, parseOrExit };
