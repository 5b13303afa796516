package io.inferenceworker.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dlq}: lists dead letters with their reasons; {@code dlq replay} sends them back. */
@Command(name = "dlq", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        subcommands = DlqReplayCommand.class,
        description = {"Lists dead letters with their reasons; 'dlq replay' sends them back.",
                "Dead letters are FAILED and INVALID jobs, votes that could not be joined or decoded, and "
                        + "undecodable records; the reasons and the topic each came from are in their "
                        + "__connect.errors.* headers.",
                "Reads the dead-letter topic from its beginning to its current end, then exits."},
        footer = {"%nExamples:", "  producer-example dlq --since 1h",
                "  producer-example dlq --error-code invalid_request --json",
                "  producer-example dlq replay --job-id 3f1c0e2a-..."})
final class DlqCommand extends CliCommand {
    static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    @Mixin
    DlqFilter filter;

    @Option(names = "--json", description = "One JSON object per dead letter: position, time, origin topic, reason "
            + "headers, and the request (job or vote) when it decodes.")
    boolean json;

    @Override
    int run() {
        var selected = filter.predicate(clock().instant());
        KafkaClients clients = clients();
        clients.requireKafka();
        List<DeadLetter> all = DeadLetterReader.readAll(clients, kafka.deadLettersTopic, READ_TIMEOUT);
        List<DeadLetter> matching = all.stream().filter(selected).toList();
        if (json) {
            try (ValueDecoder requests = ValueDecoder.of(clients, Optional.empty())) { // jobs and votes: by schema
                matching.forEach(letter -> out().println(toJson(letter, requests)));
            }
        } else {
            matching.forEach(letter -> print(letter));
            out().println(matching.size() + " of " + all.size() + " dead letters in " + kafka.deadLettersTopic
                    + (filter.isEmpty() ? "" : " match"));
        }
        out().flush();
        return ExitCodes.OK;
    }

    private void print(DeadLetter letter) {
        out().println(String.join("  ", letter.deadLetteredAt().toString(), "job " + letter.jobId().orElse("?"),
                "stage=" + letter.stage().orElse("?"), letter.errorCode().map(code -> "code=" + code).orElse(""),
                letter.provider().map(p -> "provider=" + p).orElse(""),
                letter.httpStatus().map(s -> "http=" + s).orElse(""), "from " + letter.origin(),
                "at " + letter.position()).replaceAll(" {3,}", "  "));
        out().println("    " + letter.exceptionClass().orElse("?") + ": " + letter.exceptionMessage().orElse(""));
    }

    private static ObjectNode toJson(DeadLetter letter, ValueDecoder requests) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("position", letter.position());
        node.put("dead_lettered_at", letter.deadLetteredAt().toString());
        node.put("job_id", letter.jobId().orElse(null));
        node.put("origin_topic", letter.header("topic").orElse(null));
        ObjectNode reason = node.putObject("reason");
        for (Header header : letter.record().headers()) {
            if (header.key().startsWith(DeadLetter.PREFIX)) {
                reason.put(header.key().substring(DeadLetter.PREFIX.length()),
                        header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        byte[] value = letter.record().value();
        node.put("value_bytes", value == null ? 0 : value.length);
        // null for a tombstone or when it does not decode: undecodable records are dead letters for that very reason
        node.set("request", AvroToJson.toJson(requests.decode(letter.record()).value()));
        return node;
    }
}
