#!/usr/bin/env node
'use strict';
/*
 * Cross-implementation proof of io.inferenceworker.serde: encodes and decodes Confluent wire-format Avro
 * records with @kafkajs/confluent-schema-registry, the Node.js client, against a running schema registry
 * (the Java tests start io.inferenceworker.testkit.EmbeddedSchemaRegistry and call this script).
 *
 *   node fixtures.js encode <registryUrl> <fixtureDir> [outDir]
 *       Registers <fixtureDir>/fixture.avsc under subject "<topic>-value" (topic from manifest.json, default
 *       kafkajs-fixtures), encodes every record of <fixtureDir>/records.json into <outDir>/record-<i>.bin
 *       (outDir defaults to fixtureDir) and writes <outDir>/manifest.json (subject, schema id, files).
 *   node fixtures.js decode <registryUrl> [file ...]
 *       Decodes each file (or stdin when none or "-") and prints a JSON array of the decoded values.
 *
 * JSON conventions shared with the Java test (FixtureJson): bytes and fixed values are {"$base64": "..."};
 * unions with null are the bare value or null; enums are their symbol. Longs stay within +-2^52: avsc 5.7.9
 * zig-zag-encodes longs in floating point and beyond that loses precision (it writes -(2^53 - 2) as
 * +(2^53 - 2) and reads it back likewise), although it accepts values up to +-(2^53 - 2).
 */
const fs = require('fs');
const path = require('path');
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry');

const DEFAULT_TOPIC = 'kafkajs-fixtures';

function reviveBytes(key, value) {
  if (value && typeof value === 'object' && !Array.isArray(value)
      && Object.keys(value).length === 1 && typeof value.$base64 === 'string') {
    return Buffer.from(value.$base64, 'base64');
  }
  return value;
}

function replaceBytes(key, value) {
  const original = this[key];
  if (Buffer.isBuffer(original)) {
    return { $base64: original.toString('base64') };
  }
  return value;
}

function readAll(stream) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function registryAt(url) {
  // No retries: the Java tests want a prompt, deterministic answer.
  return new SchemaRegistry({ host: url, retry: { retries: 0 } });
}

async function encode(url, fixtureDir, outDir) {
  const schema = fs.readFileSync(path.join(fixtureDir, 'fixture.avsc'), 'utf8');
  const records = JSON.parse(fs.readFileSync(path.join(fixtureDir, 'records.json'), 'utf8'), reviveBytes);
  const registry = registryAt(url);
  const topic = DEFAULT_TOPIC;
  const subject = `${topic}-value`;
  const { id } = await registry.register({ type: SchemaType.AVRO, schema }, { subject });
  fs.mkdirSync(outDir, { recursive: true });
  const files = [];
  for (let i = 0; i < records.length; i++) {
    const file = `record-${i}.bin`;
    fs.writeFileSync(path.join(outDir, file), await registry.encode(id, records[i]));
    files.push(file);
  }
  const manifest = {
    producer: '@kafkajs/confluent-schema-registry ' + require('@kafkajs/confluent-schema-registry/package.json').version,
    topic,
    subject,
    schemaId: id,
    schema: 'fixture.avsc',
    records: 'records.json',
    files,
  };
  fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  process.stdout.write(JSON.stringify(manifest) + '\n');
}

async function decode(url, files) {
  const registry = registryAt(url);
  const inputs = files.length === 0 || (files.length === 1 && files[0] === '-')
    ? [await readAll(process.stdin)]
    : files.map((file) => fs.readFileSync(file));
  const decoded = [];
  for (const bytes of inputs) {
    decoded.push(await registry.decode(bytes));
  }
  process.stdout.write(JSON.stringify(decoded, replaceBytes) + '\n');
}

async function main(argv) {
  const [mode, url, ...rest] = argv;
  if (mode === 'encode' && url && rest.length >= 1) {
    await encode(url, rest[0], rest[1] || rest[0]);
  } else if (mode === 'decode' && url) {
    await decode(url, rest);
  } else {
    process.stderr.write('usage: node fixtures.js encode <registryUrl> <fixtureDir> [outDir]\n'
      + '       node fixtures.js decode <registryUrl> [file ...]\n');
    process.exit(2);
  }
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`fixtures.js failed: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
