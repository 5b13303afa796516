/**
 * {@code producer-example}, the command-line client of the inference worker's topics (picocli).
 *
 * <p>Commands, one class each: {@link io.inferenceworker.cli.SendCommand} ({@code send}: one job, optionally waiting
 * for its result and streamed chunks), {@link io.inferenceworker.cli.LoadCommand} ({@code load}: many jobs at a rate,
 * with throughput and latency percentiles), {@link io.inferenceworker.cli.VoteCommand} ({@code vote}),
 * {@link io.inferenceworker.cli.TailCommand} ({@code tail}: follow a topic) and
 * {@link io.inferenceworker.cli.DlqCommand} / {@link io.inferenceworker.cli.DlqReplayCommand} ({@code dlq},
 * {@code dlq replay}: each letter back to the topic it came from). They share
 * {@link io.inferenceworker.cli.KafkaOptions} (connection, topic names, pass-through properties and the
 * {@code --command-config} file: the worker's environment variables and defaults) and a base class,
 * {@link io.inferenceworker.cli.CliCommand}, that turns failures into the documented exit codes
 * ({@link io.inferenceworker.cli.ExitCodes}).
 *
 * <p>Helpers: {@code KafkaClients} (clients and serdes from the options), {@code CommandConfig} (a properties file
 * split into Kafka and registry keys), {@code Secrets} (what never gets printed), {@code TopicRef} (a topic by kind
 * or name), {@code ValueDecoder} (values by a topic's type or each record's schema), {@code TopicReader}
 * (partitions assigned without a consumer group, from the end or the beginning), {@code ResultWaiter} (the result and
 * chunks of one job),
 * {@code JsonToAvro} / {@code AvroToJson} (request files in, {@code --json} out, by the Avro schemas' field names),
 * {@code RecordFormatter} / {@code ResultPrinter} (human-readable output), {@code DeadLetter} (a dead letter and its
 * {@code __connect.errors.*} headers) and the time and duration parsers.
 *
 * <p>Values are Avro in the Confluent wire format ({@code io.inferenceworker.serde}); keys are job IDs as UTF-8
 * strings. No command joins a consumer group: readers assign partitions, so they leave nothing behind on the broker.
 */
package io.inferenceworker.cli;
