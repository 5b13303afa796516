#!/usr/bin/env node
'use strict';
/*
 * Prints the inference worker's CompletionResult records, one JSON object per line, decoded with the writer schema
 * the registry holds under the ID in each record (no schema file needed to read).
 *
 *   node consumer.js --job-ids node-1a2b3c4d-1,node-1a2b3c4d-2 --timeout 60
 *   node producer.js --provider vultr-main --count 3 | node consumer.js --job-ids -
 *
 * Without --job-ids it prints every result until --count results or the timeout. It joins a fresh consumer group
 * each run and reads from the beginning of the topic (the example keeps no position); a real consumer uses a fixed
 * --group and commits. kafkajs reads gzip-compressed or uncompressed batches natively, which the worker writes by
 * default (kafka.producer.compression.type); lz4, snappy and zstd need an extra codec package.
 */
const { randomUUID } = require('crypto');
const { connectionOptions, connectionHelp, kafka, registry, exitWith, parseOrExit } = require('./config');

const usage = `Usage: node consumer.js [options]
  --job-ids ID,...|-        Print only these jobs' results, exit when all came ("-": the IDs from stdin, one a line)
  --count N                 Exit after N results (default: the number of --job-ids, else 1)
  --timeout SECONDS         Give up after this long, exit code 3 (default 120)
  --group ID                Consumer group (default: a fresh one, inference-node-example-<random>)
  --summary                 Print job ID, status and the first choice's text instead of the whole record
${connectionHelp}`;

async function readLines(stream) {
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
}

/** The essentials of a result, for people; the default prints the whole record. */
function summary(result) {
  const choice = result.choices && result.choices[0];
  return {
    job_id: result.job_id,
    status: result.status,
    provider: result.provider,
    model: result.model,
    content: choice ? choice.content : null,
    error: result.error ? `${result.error.code}: ${result.error.message}` : null,
  };
}

async function main() {
  const { values: options } = parseOrExit({
    options: {
      ...connectionOptions,
      'job-ids': { type: 'string' },
      count: { type: 'string' },
      timeout: { type: 'string', default: '120' },
      group: { type: 'string', default: `inference-node-example-${randomUUID().slice(0, 8)}` },
      summary: { type: 'boolean', default: false },
    },
  });
  if (options.help) {
    process.stdout.write(usage + '\n');
    return;
  }
  let wanted = null;
  if (options['job-ids'] === '-') {
    wanted = new Set(await readLines(process.stdin));
  } else if (options['job-ids']) {
    wanted = new Set(options['job-ids'].split(',').map((id) => id.trim()).filter(Boolean));
  }
  const count = options.count ? Number.parseInt(options.count, 10) : (wanted ? wanted.size : 1);
  const timeoutSeconds = Number.parseFloat(options.timeout);
  if (!(count > 0) || !(timeoutSeconds > 0)) {
    exitWith('--count and --timeout must be positive numbers (node consumer.js --help)', 2);
  }

  const schemas = registry(options);
  const consumer = kafka(options, 'inference-node-consumer').consumer({ groupId: options.group });
  const seen = new Set();
  let printed = 0;
  let finish;
  const done = new Promise((resolve) => { finish = resolve; });
  const timer = setTimeout(() => finish(3), timeoutSeconds * 1000);

  // A batch the client cannot read (e.g. lz4 without a codec) crashes the consumer: report it, do not wait.
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    const reason = payload.error && payload.error.message;
    process.stderr.write(`the consumer crashed (${payload.restart ? 'restarting' : 'giving up'}): ${reason}\n`);
    if (!payload.restart) {
      finish(1);
    }
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [options['results-topic']], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const jobId = message.key ? message.key.toString('utf8') : null;
      if (printed >= count || (wanted && (!wanted.has(jobId) || seen.has(jobId)))) {
        return;
      }
      const result = await schemas.decode(message.value);
      seen.add(jobId);
      printed++;
      process.stdout.write(JSON.stringify(options.summary ? summary(result) : result) + '\n');
      if (printed >= count) {
        finish(0);
      }
    },
  });

  const exitCode = await done;
  clearTimeout(timer);
  await consumer.disconnect();
  if (exitCode === 3) {
    process.stderr.write(`error: ${printed} of ${count} results within ${timeoutSeconds} s\n`);
  }
  process.exitCode = exitCode;
}

main().catch((error) => exitWith(error));
