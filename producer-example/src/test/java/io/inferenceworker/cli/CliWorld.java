package io.inferenceworker.cli;

import io.inferenceworker.testkit.DevStack;
import io.inferenceworker.testkit.sim.Dialect;
import io.micronaut.context.ApplicationContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine;

/**
 * One isolated world on the shared dev stack for CLI tests: the worker's seven topics under a unique prefix and a
 * real worker (Micronaut context) on them, with one provider instance {@code sim} on the simulator's OpenAI dialect.
 */
final class CliWorld implements AutoCloseable {
    static final String PROVIDER = "sim";
    static final String VOTE_WAIT_WINDOW = "3s";

    final DevStack stack = DevStack.shared();
    final String prefix = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    final Map<TopicKind, String> topics = new EnumMap<>(TopicKind.class);
    private final ApplicationContext worker;

    /** The output of one command. */
    record Run(int exitCode, String out, String err) {
        /** The first line of the output: the job ID for {@code send}. */
        String firstLine() {
            return out.lines().findFirst().orElse("");
        }
    }

    CliWorld(int partitions) {
        List<NewTopic> newTopics = new ArrayList<>();
        for (TopicKind kind : TopicKind.values()) {
            topics.put(kind, prefix + "." + kind.label());
            newTopics.add(new NewTopic(topics.get(kind), partitions, (short) 1));
        }
        stack.kafka().createTopics(newTopics);
        worker = ApplicationContext.builder()
                .properties(workerProperties())
                .deduceEnvironment(false)
                .environments("cli-test")
                .start();
    }

    /** Runs {@code producer-example args...} pointed at this world; captures output and exit code. */
    Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(connectionArgs());
        return runRaw(all.toArray(String[]::new));
    }

    /** Runs {@code producer-example args...} as given. */
    static Run runRaw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ProducerExample());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    List<String> connectionArgs() {
        return List.of("--bootstrap-servers", stack.kafka().bootstrapServers(),
                "--schema-registry-url", stack.registry().url(),
                "--requests-topic", topics.get(TopicKind.REQUESTS),
                "--results-topic", topics.get(TopicKind.RESULTS),
                "--usage-topic", topics.get(TopicKind.USAGE),
                "--chunks-topic", topics.get(TopicKind.CHUNKS),
                "--vote-requests-topic", topics.get(TopicKind.VOTE_REQUESTS),
                "--votes-topic", topics.get(TopicKind.VOTES),
                "--dlq-topic", topics.get(TopicKind.DLQ));
    }

    private Map<String, Object> workerProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put("kafka.bootstrap-servers", stack.kafka().bootstrapServers());
        p.put("kafka.group-id", prefix + ".group");
        p.put("schema-registry.url", stack.registry().url());
        p.put("topics.requests", topics.get(TopicKind.REQUESTS));
        p.put("topics.results", topics.get(TopicKind.RESULTS));
        p.put("topics.usage", topics.get(TopicKind.USAGE));
        p.put("topics.chunks", topics.get(TopicKind.CHUNKS));
        p.put("topics.vote-requests", topics.get(TopicKind.VOTE_REQUESTS));
        p.put("topics.votes", topics.get(TopicKind.VOTES));
        p.put("topics.dead-letters", topics.get(TopicKind.DLQ));
        p.put("worker.commit-interval", "100ms");
        p.put("worker.shutdown-grace", "2s");
        // a vote on an unknown job is dead-lettered after this long (the replay test makes one); long enough for a
        // vote cast right after its job's result to find it
        p.put("votes.wait-window", VOTE_WAIT_WINDOW);
        p.put("micronaut.server.port", -1);
        p.put("providers." + PROVIDER + ".type", "openai");
        p.put("providers." + PROVIDER + ".base-url", stack.simulator().baseUrl(Dialect.OPENAI));
        p.put("providers." + PROVIDER + ".default-model", "cli-default");
        p.put("providers." + PROVIDER + ".retry.max-attempts", "2");
        p.put("providers." + PROVIDER + ".retry.initial-backoff", "20ms");
        p.put("providers." + PROVIDER + ".retry.max-backoff", "200ms");
        p.put("providers." + PROVIDER + ".retry.attempt-timeout", "2s");
        p.put("providers." + PROVIDER + ".circuit-breaker.enabled", "false");
        return p;
    }

    @Override
    public void close() {
        worker.close();
    }

    static Duration patience() {
        return Duration.ofSeconds(30);
    }
}
