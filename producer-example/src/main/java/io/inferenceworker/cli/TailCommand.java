package io.inferenceworker.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inferenceworker.serde.PoisonRecordException;
import io.inferenceworker.serde.SpecificAvroDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tail}: follows one of the worker's topics until Ctrl-C (or {@code --max} records). */
@Command(name = "tail", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Follows a topic and prints each record.",
                "One line per record for people, or one JSON object per line with --json (topic, partition, "
                        + "offset, timestamp, key, value).",
                "Starts at the end of the topic (new records only) unless --from-beginning. Runs until Ctrl-C, "
                        + "--max records or --timeout."},
        footer = {"%nExamples:", "  producer-example tail results", "  producer-example tail chunks --job-id 3f1c0e2a-...",
                "  producer-example tail usage --from-beginning --json | jq .value.total_tokens"})
final class TailCommand extends CliCommand {
    private static final Duration POLL = Duration.ofMillis(500);

    @Parameters(index = "0", paramLabel = "TOPIC", converter = TopicKind.Converter.class,
            completionCandidates = TopicKind.Labels.class,
            description = "One of: ${COMPLETION-CANDIDATES} (the names come from the --*-topic options).")
    TopicKind topic;

    @Option(names = "--json", description = "Print one JSON object per record.")
    boolean json;

    @Option(names = "--from-beginning", description = "Start at the beginning of the topic.")
    boolean fromBeginning;

    @Option(names = "--job-id", paramLabel = "ID", description = "Only records of this job (record key).")
    String jobId;

    @Option(names = "--max", paramLabel = "N", description = "Exit after N records.")
    Integer max;

    @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Exit after this long; with --max, exit code 3 if fewer records came. Default: never.")
    Duration timeout;

    @Override
    int run() {
        String name = kafka.topicOf(topic);
        KafkaClients clients = clients();
        clients.requireKafka();
        int shown = 0;
        Instant end = timeout == null ? Instant.MAX : clock().instant().plus(timeout);
        try (TopicReader reader = TopicReader.open(clients, List.of(name), fromBeginning);
             SpecificAvroDeserializer<? extends SpecificRecord> values = clients.deserializer(topic.valueType())) {
            while ((max == null || shown < max) && clock().instant().isBefore(end)) {
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(POLL)) {
                    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                    if (jobId != null && !jobId.equals(key)) {
                        continue;
                    }
                    out().println(json ? toJson(record, key, values).toString() : toLine(record, values));
                    out().flush();
                    if (max != null && ++shown >= max) {
                        break;
                    }
                }
            }
        }
        if (max != null && shown < max) {
            err().println("error: " + shown + " of " + max + " records within " + Times.human(timeout));
            return ExitCodes.TIMEOUT;
        }
        return ExitCodes.OK;
    }

    private String toLine(ConsumerRecord<byte[], byte[]> record, SpecificAvroDeserializer<?> values) {
        if (topic == TopicKind.DLQ) {
            DeadLetter letter = new DeadLetter(record);
            return String.join("  ", "dead-letter", letter.jobId().orElse("?"), "stage=" + letter.stage().orElse("?"),
                    letter.errorCode().map(code -> "code=" + code).orElse(""),
                    letter.exceptionClass().orElse("?") + ": " + letter.exceptionMessage().orElse(""))
                    .replaceAll(" {3,}", "  ");
        }
        Object value = decode(record, values);
        return value instanceof String problem ? "undecodable  " + record.topic() + "-" + record.partition() + "@"
                + record.offset() + "  " + problem : RecordFormatter.line(value);
    }

    private ObjectNode toJson(ConsumerRecord<byte[], byte[]> record, String key, SpecificAvroDeserializer<?> values) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("topic", record.topic());
        node.put("partition", record.partition());
        node.put("offset", record.offset());
        node.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
        node.put("key", key);
        Object value = decode(record, values);
        if (value instanceof String problem) {
            node.putNull("value");
            node.put("error", problem);
        } else {
            node.set("value", AvroToJson.toJson(value));
        }
        if (topic == TopicKind.DLQ) {
            ObjectNode reason = node.putObject("reason");
            record.headers().forEach(header -> {
                if (header.key().startsWith(DeadLetter.PREFIX) && header.value() != null) {
                    reason.put(header.key().substring(DeadLetter.PREFIX.length()),
                            new String(header.value(), StandardCharsets.UTF_8));
                }
            });
        }
        return node;
    }

    /** The record's value, or the reason it cannot be decoded (as a String). */
    private static Object decode(ConsumerRecord<byte[], byte[]> record, SpecificAvroDeserializer<?> values) {
        if (record.value() == null) {
            return "tombstone";
        }
        try {
            return values.deserialize(record.topic(), record.headers(), record.value());
        } catch (PoisonRecordException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
