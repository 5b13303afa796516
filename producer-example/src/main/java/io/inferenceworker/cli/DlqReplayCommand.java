package io.inferenceworker.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dlq replay}: sends selected dead letters back to the topic each came from, as they were first produced:
 * the original key, value and headers, without the {@code __connect.errors.*} ones.
 *
 * <p>The dead-letter topic holds both dead-lettered jobs (from the request topic) and dead-lettered votes (from the
 * vote request topic); each letter names its origin in {@code __connect.errors.topic}, as Kafka Connect's do, and
 * goes back there. A letter without that header (not written by the worker) is skipped and reported rather than
 * guessed at: {@code --to} sends it, and every other selected letter, where the user says. A letter whose topic does
 * not exist is skipped too (replaying creates no topic). Any skipped letter makes the exit code 1.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Replays dead letters to the topic each came from.",
                "Sends the original key, value and headers, without the __connect.errors.* headers, to the topic "
                        + "named by the letter's __connect.errors.topic header: dead-lettered jobs go back to the "
                        + "request topic, dead-lettered votes to the vote request topic. Select the dead letters with "
                        + "the filters, or all of them with --all.",
                "Letters without that header, or whose topic no longer exists, are skipped and listed (exit code 1); "
                        + "--to sends every selected letter to one topic instead.",
                "A replayed job or vote that fails again is dead-lettered again."},
        footer = {"%nExamples:", "  producer-example dlq replay --job-id 3f1c0e2a-...",
                "  producer-example dlq replay --error-class ProviderException --dry-run",
                "  producer-example dlq replay --error-code unknown_job --since 2h --until 1h",
                "  producer-example dlq replay --all --to inference.requests.v2"})
final class DlqReplayCommand extends CliCommand {
    static final String ORIGIN_HEADER = DeadLetter.PREFIX + "topic";

    @Mixin
    DlqFilter filter;

    @Option(names = "--all", description = "Replay every dead letter (when no filter is given).")
    boolean all;

    @Option(names = "--to", paramLabel = "TOPIC",
            description = "Send every selected letter to TOPIC, whatever topic it came from.")
    String to;

    @Option(names = "--dry-run", description = "Only list what would be replayed, and where.")
    boolean dryRun;

    /** Where one letter goes, or why it does not. */
    private record Route(DeadLetter letter, Optional<String> topic, String skipReason) {
    }

    @Override
    int run() throws Exception {
        if (filter.isEmpty() && !all) {
            throw new InputException("select dead letters with --job-id, --error-class, --error-code, --stage, "
                    + "--since or --until, or replay every one with --all");
        }
        if (to != null && to.isBlank()) {
            throw new InputException("--to needs a topic name");
        }
        var selected = filter.predicate(clock().instant());
        KafkaClients clients = clients();
        clients.requireKafka();
        List<DeadLetter> letters = DeadLetterReader.readAll(clients, kafka.deadLettersTopic, DlqCommand.READ_TIMEOUT)
                .stream().filter(selected).toList();
        List<Route> routes = route(letters, clients);
        List<Route> sendable = routes.stream().filter(route -> route.topic().isPresent()).toList();
        List<Route> skipped = routes.stream().filter(route -> route.topic().isEmpty()).toList();
        for (Route route : skipped) {
            out().println("skipped job " + jobOf(route.letter()) + " at " + route.letter().position() + ": "
                    + route.skipReason());
        }
        if (dryRun) {
            sendable.forEach(route -> out().println("would replay job " + jobOf(route.letter()) + " from "
                    + route.letter().position() + " to " + route.topic().orElseThrow()));
            out().println(sendable.size() + " dead letters would be replayed" + perTopic(sendable)
                    + skippedSummary(skipped));
            return skipped.isEmpty() ? ExitCodes.OK : ExitCodes.JOB_FAILED;
        }
        try (KafkaProducer<byte[], byte[]> producer = clients.producer()) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Route route : sendable) {
                DeadLetter letter = route.letter();
                sent.add(producer.send(new ProducerRecord<>(route.topic().orElseThrow(), null, letter.record().key(),
                        letter.record().value(), letter.originalHeaders())));
            }
            for (int i = 0; i < sent.size(); i++) {
                RecordMetadata written = sent.get(i).get(clients.connectTimeout().toMillis() + 30_000,
                        TimeUnit.MILLISECONDS);
                DeadLetter letter = sendable.get(i).letter();
                out().println("replayed job " + jobOf(letter) + " from " + letter.position() + " to "
                        + written.topic() + "-" + written.partition() + "@" + written.offset());
            }
        }
        out().println(sendable.size() + " dead letters replayed" + perTopic(sendable) + skippedSummary(skipped));
        return skipped.isEmpty() ? ExitCodes.OK : ExitCodes.JOB_FAILED;
    }

    /** Each letter's destination: {@code --to}, else its origin topic if that exists. */
    private List<Route> route(List<DeadLetter> letters, KafkaClients clients) {
        List<Optional<String>> wanted = letters.stream()
                .map(letter -> to != null ? Optional.of(to) : letter.header("topic")).toList();
        LinkedHashSet<String> topics = wanted.stream().flatMap(Optional::stream)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        List<String> missing = topics.isEmpty() ? List.of() : clients.missingTopics(topics);
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < letters.size(); i++) {
            DeadLetter letter = letters.get(i);
            Optional<String> topic = wanted.get(i);
            if (topic.isEmpty()) {
                routes.add(new Route(letter, Optional.empty(), "no " + ORIGIN_HEADER
                        + " header to say where it came from (send it with --to TOPIC)"));
            } else if (missing.contains(topic.get())) {
                routes.add(new Route(letter, Optional.empty(), "topic " + topic.get() + " does not exist"
                        + (to == null ? " (send it elsewhere with --to TOPIC)" : "")));
            } else {
                routes.add(new Route(letter, topic, null));
            }
        }
        return routes;
    }

    private static String jobOf(DeadLetter letter) {
        return letter.jobId().orElse("?");
    }

    /** {@code " (2 to inference.requests, 1 to inference.votes.requests)"}. */
    private static String perTopic(List<Route> routes) {
        if (routes.isEmpty()) {
            return "";
        }
        Map<String, Long> counts = routes.stream().collect(Collectors.groupingBy(route -> route.topic().orElseThrow(),
                LinkedHashMap::new, Collectors.counting()));
        return counts.entrySet().stream().map(count -> count.getValue() + " to " + count.getKey())
                .collect(Collectors.joining(", ", " (", ")"));
    }

    private static String skippedSummary(List<Route> skipped) {
        return skipped.isEmpty() ? "" : "; " + skipped.size() + " skipped";
    }
}
