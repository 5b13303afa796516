#!/usr/bin/env node
'use strict';
/*
 * Sends N CompletionRequest records to the inference worker's request topic, keyed by job ID, in the Confluent
 * wire format (Avro with the schema registry's ID), and prints each job ID on its own line.
 *
 *   node producer.js --provider vultr-main --count 3 --prompt "Say hello"
 *
 * The value schema is the self-contained CompletionRequest.avsc the schemas module builds (every named type
 * inlined). By default the producer only looks its ID up under <requests-topic>-value, as on registries with
 * auto.register.schemas=false: register it once with `producer-example schemas register`. --register registers it
 * itself instead (the subject must then have no compatibility level other than BACKWARD: the client checks it).
 */
const fs = require('fs');
const path = require('path');
const { randomUUID } = require('crypto');
const { Partitioners } = require('kafkajs');
const { SchemaType } = require('@kafkajs/confluent-schema-registry');
const { connectionOptions, connectionHelp, kafka, registry, exitWith, parseOrExit } = require('./config');

const DEFAULT_SCHEMA = path.join(__dirname, '..', '..', 'schemas', 'target', 'classes', 'self-contained',
  'CompletionRequest.avsc');

const usage = `Usage: node producer.js --provider NAME [options]
  --provider NAME           Provider instance configured in the worker (required)
  --count N                 Number of jobs to send (default 1)
  --prompt TEXT             The user message (default "Say hello from Node.js"); job i gets " (#i)" appended
  --model MODEL             Model to ask for (default: the provider instance's default model)
  --job-prefix PREFIX       Job IDs are PREFIX-1 ... PREFIX-N (default node-<random>)
  --schema FILE             Self-contained CompletionRequest schema
                            (default ${path.relative(process.cwd(), DEFAULT_SCHEMA)},
                            or: producer-example schemas print CompletionRequest > CompletionRequest.avsc)
  --register                Register the schema instead of looking up its ID
${connectionHelp}`;

async function main() {
  const { values: options } = parseOrExit({
    options: {
      ...connectionOptions,
      provider: { type: 'string' },
      count: { type: 'string', default: '1' },
      prompt: { type: 'string', default: 'Say hello from Node.js' },
      model: { type: 'string' },
      'job-prefix': { type: 'string', default: `node-${randomUUID().slice(0, 8)}` },
      schema: { type: 'string', default: DEFAULT_SCHEMA },
      register: { type: 'boolean', default: false },
    },
  });
  if (options.help) {
    process.stdout.write(usage + '\n');
    return;
  }
  const count = Number.parseInt(options.count, 10);
  if (!options.provider || !(count > 0)) {
    exitWith('--provider is required and --count must be a positive number (node producer.js --help)', 2);
  }
  let schemaText;
  try {
    schemaText = fs.readFileSync(options.schema, 'utf8');
  } catch (error) {
    exitWith(`cannot read the schema ${options.schema} (build the schemas module, or pass --schema): `
      + error.message, 2);
  }

  const topic = options['requests-topic'];
  const subject = `${topic}-value`;
  const schemas = registry(options);
  const schema = { type: SchemaType.AVRO, schema: schemaText };
  let id;
  try {
    id = options.register
      ? (await schemas.register(schema, { subject })).id
      : await schemas.getRegistryIdBySchema(subject, schema);
  } catch (error) {
    if (options.register) {
      exitWith(`cannot register the request schema under ${subject}: ${error.message}`);
    }
    // The client turns the registry's 404 (no such subject, or not this schema under it) into this error.
    if (error.name === 'ConfluentSchemaRegistryError') {
      exitWith(`the request schema is not registered under ${subject} (${error.message}): run `
        + '`producer-example schemas register`, or pass --register');
    }
    exitWith(`cannot look up the request schema under ${subject}: ${error.message}`);
  }

  const messages = [];
  for (let i = 1; i <= count; i++) {
    const jobId = `${options['job-prefix']}-${i}`;
    // Fields left out take their schema defaults (null, false, {}); field names are the schema's snake_case.
    const request = {
      job_id: jobId,
      provider: options.provider,
      model: options.model || null,
      messages: [{ role: 'USER', content: count === 1 ? options.prompt : `${options.prompt} (#${i})` }],
      metadata: { source: 'examples/node' },
      submitted_at: Date.now(),
    };
    messages.push({ key: jobId, value: await schemas.encode(id, request) });
  }

  // The Java client's partitioner (murmur2 of the key): a job's records land where a Java producer would put them.
  const producer = kafka(options, 'inference-node-producer')
    .producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
  for (const message of messages) {
    process.stdout.write(message.key + '\n');
  }
  process.stderr.write(`sent ${messages.length} jobs to ${topic} (schema id ${id})\n`);
}

main().catch((error) => exitWith(error));
