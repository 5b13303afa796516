package io.inferenceworker.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inferenceworker.cli.ValueDecoder.Decoded;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tail}: follows a topic until Ctrl-C (or {@code --max} records). The topic is one of the worker's, named by
 * its kind ({@code results}: the topic {@code --results-topic} names) or by its name ({@code inference.results}), or
 * any other topic by its name. The worker's topics decode as their record type; the dead-letter topic and any other
 * topic by each record's writer schema (the worker's record types print as for their topic, others as Avro JSON).
 */
@Command(name = "tail", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Follows a topic and prints each record.",
                "TOPIC is a topic name, or one of the worker's topics by its kind (results, usage, ...: the topic "
                        + "its --*-topic option names). Values are decoded by the topic's record type, or by each "
                        + "record's schema for the dead letters and topics that are not the worker's.",
                "One line per record for people, or one JSON object per line with --json (topic, partition, "
                        + "offset, timestamp, key, value).",
                "Starts at the end of the topic (new records only) unless --from-beginning. Runs until Ctrl-C, "
                        + "--max records or --timeout."},
        footer = {"%nExamples:", "  producer-example tail results", "  producer-example tail chunks --job-id 3f1c0e2a-...",
                "  producer-example tail inference.votes", "  producer-example tail my-team.results --from-beginning",
                "  producer-example tail usage --from-beginning --json | jq .value.total_tokens"})
final class TailCommand extends CliCommand {
    private static final Duration POLL = Duration.ofMillis(500);

    @Parameters(index = "0", paramLabel = "TOPIC", completionCandidates = TopicKind.Labels.class,
            description = "A topic name, or a kind: ${COMPLETION-CANDIDATES}. A kind wins over a topic of the same "
                    + "name; reach such a topic through its --*-topic option.")
    String topicArgument;

    private TopicRef topic;

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
        topic = kafka.topicRef(topicArgument);
        KafkaClients clients = clients();
        clients.requireKafka();
        int shown = 0;
        Instant end = timeout == null ? Instant.MAX : clock().instant().plus(timeout);
        try (TopicReader reader = TopicReader.open(clients, List.of(topic.name()), fromBeginning);
             ValueDecoder values = ValueDecoder.of(clients, topic.kind().flatMap(TopicKind::valueType))) {
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

    private String toLine(ConsumerRecord<byte[], byte[]> record, ValueDecoder values) {
        if (isDeadLetter(record)) {
            DeadLetter letter = new DeadLetter(record);
            return String.join("  ", "dead-letter", letter.jobId().orElse("?"), "stage=" + letter.stage().orElse("?"),
                    letter.errorCode().map(code -> "code=" + code).orElse(""),
                    letter.exceptionClass().orElse("?") + ": " + letter.exceptionMessage().orElse(""))
                    .replaceAll(" {3,}", "  ");
        }
        Decoded value = values.decode(record);
        return value.ok() ? RecordFormatter.line(value.value()) : "undecodable  " + record.topic() + "-"
                + record.partition() + "@" + record.offset() + "  " + value.problem();
    }

    private ObjectNode toJson(ConsumerRecord<byte[], byte[]> record, String key, ValueDecoder values) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("topic", record.topic());
        node.put("partition", record.partition());
        node.put("offset", record.offset());
        node.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
        node.put("key", key);
        Decoded value = values.decode(record);
        if (value.ok()) {
            node.set("value", AvroToJson.toJson(value.value()));
        } else {
            node.putNull("value");
            node.put("error", value.problem());
        }
        if (isDeadLetter(record)) {
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

    /** A record of the dead-letter topic, or of any topic when it carries a dead letter's origin header. */
    private boolean isDeadLetter(ConsumerRecord<byte[], byte[]> record) {
        return topic.isDeadLetters() || topic.kind().isEmpty()
                && record.headers().lastHeader(DlqReplayCommand.ORIGIN_HEADER) != null;
    }
}
