package io.inferenceworker.ops;

import io.inferenceworker.it.StackWorld;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Role;
import io.inferenceworker.schemas.Vote;
import io.inferenceworker.schemas.VoteRequest;
import io.inferenceworker.testkit.sim.Dialect;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A test world on the shared dev stack for a worker with every meter group alive: its HTTP server (for
 * {@code /prometheus}), the intake, the votes component (so the Streams metrics exist) and one priced provider
 * instance {@code sim} (simulator, OpenAI dialect) with fast retries. Two partitions per topic; results and votes
 * compacted, as the votes component requires.
 */
final class MetricsWorld extends StackWorld {
    final String voteRequests;
    final String votes;
    private final Path stateDir;
    private EmbeddedServer server;

    MetricsWorld(String name) {
        super(name);
        this.voteRequests = prefix + ".votes.requests";
        this.votes = prefix + ".votes";
        for (String t : List.of(requests, usage, chunks, dlq, voteRequests)) {
            stack.kafka().createTopic(t, 2);
        }
        stack.kafka().createTopic(results, 2, Map.of("cleanup.policy", "compact"));
        stack.kafka().createTopic(votes, 2, Map.of("cleanup.policy", "compact"));
        try {
            stateDir = Files.createTempDirectory("metrics-votes-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the worker with its HTTP server on a free port; closed by {@link #close()}. */
    EmbeddedServer startServer() {
        Map<String, Object> p = baseProperties();
        p.put("worker.id", prefix);
        p.put("topics.vote-requests", voteRequests);
        p.put("topics.votes", votes);
        p.put("votes.state-dir", stateDir.toString());
        p.put("votes.streams.commit.interval.ms", "100");
        provider(p, "sim", "openai", stack.simulator().baseUrl(Dialect.OPENAI), "50ms");
        p.put("providers.sim.retry.max-attempts", 2);
        p.put("providers.sim.price.currency", "EUR");
        p.put("providers.sim.price.input-per-million.default", 1.5);
        p.put("providers.sim.price.output-per-million.default", 6.0);
        p.put("ops.kafka-metrics-refresh", "200ms");
        flush();
        server = ApplicationContext.builder().properties(p).deduceEnvironment(false).environments("it")
                .run(EmbeddedServer.class);
        return server;
    }

    static CompletionRequest request(String jobId, String model, String tenant) {
        return CompletionRequest.newBuilder()
                .setJobId(jobId)
                .setProvider("sim")
                .setModel(model)
                .setTenant(tenant)
                .setMessages(List.of(Message.newBuilder().setRole(Role.USER).setContent("Count to " + jobId)
                        .build()))
                .build();
    }

    void send(CompletionRequest request) {
        produce(requests, key(request.getJobId()), encode(requests, request), List.of());
        flush();
    }

    void sendRaw(String topic, byte[] key, byte[] value) {
        produce(topic, key, value, List.of());
        flush();
    }

    void vote(String jobId, Vote vote) {
        VoteRequest request = VoteRequest.newBuilder().setJobId(jobId).setVote(vote).build();
        produce(voteRequests, key(jobId), encode(voteRequests, request), List.of());
        flush();
    }

    static byte[] key(String jobId) {
        return jobId.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (server != null) {
            server.getApplicationContext().close();
        }
        super.close();
        try (var paths = Files.walk(stateDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }
}
