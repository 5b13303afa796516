package io.inferenceworker.it;

import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.ContentPart;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Role;
import io.inferenceworker.testkit.sim.Dialect;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One isolated test world on the shared dev stack: unique topics and group, a producer of requests, collectors of
 * every output topic, and workers (Micronaut contexts) started on demand.
 */
final class WorkerHarness extends StackWorld {
    private final int partitions;

    WorkerHarness(String name, int partitions) {
        super(name);
        this.partitions = partitions;
        stack.kafka().createTopic(requests, partitions);
        for (String t : List.of(results, usage, chunks, dlq)) {
            stack.kafka().createTopic(t, partitions);
        }
    }

    /** Worker configuration for this world; {@code overrides} win. */
    Map<String, Object> workerProperties(Map<String, Object> overrides) {
        Map<String, Object> p = baseProperties();
        p.put("votes.enabled", "false"); // the votes component has its own tests and topics
        provider(p, "sim", "openai", stack.simulator().baseUrl(Dialect.OPENAI), "200ms");
        p.putAll(overrides);
        return p;
    }

    ApplicationContext startWorker(Map<String, Object> overrides) {
        return start(workerProperties(overrides));
    }

    /** The most of the {@code sorted} instants that fall within one {@code window}: calls in flight together. */
    static int mostWithin(List<Instant> sorted, Duration window) {
        int most = 0;
        for (int first = 0, last = 0; last < sorted.size(); last++) {
            while (Duration.between(sorted.get(first), sorted.get(last)).compareTo(window) > 0) {
                first++;
            }
            most = Math.max(most, last - first + 1);
        }
        return most;
    }

    /** A minimal valid request for {@code model} on the simulator provider. */
    static CompletionRequest.Builder request(String jobId, String model, String prompt) {
        return CompletionRequest.newBuilder()
                .setJobId(jobId)
                .setProvider("sim")
                .setModel(model)
                .setMessages(List.of(Message.newBuilder().setRole(Role.USER).setContent(prompt).build()));
    }

    static ContentPart text(String t) {
        return ContentPart.newBuilder().setText(t).build();
    }

    void send(CompletionRequest request) {
        send(request, List.of());
    }

    void send(CompletionRequest request, List<Header> headers) {
        byte[] value = serialize(request);
        sendRaw(request.getJobId().getBytes(StandardCharsets.UTF_8), value, headers);
    }

    void sendRaw(byte[] key, byte[] value, List<Header> headers) {
        produce(requests, key, value, headers);
    }

    byte[] serialize(CompletionRequest request) {
        return encode(requests, request);
    }

    List<CompletionResult> results() {
        List<CompletionResult> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : collector(results).records()) {
            out.add((CompletionResult) decode(results, r));
        }
        return out;
    }

    /** Committed offsets of the worker group on the request topic, summed. */
    long committedTotal() {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            long total = 0;
            var parts = new java.util.HashSet<org.apache.kafka.common.TopicPartition>();
            for (int p = 0; p < partitions; p++) {
                parts.add(new org.apache.kafka.common.TopicPartition(requests, p));
            }
            for (var om : c.committed(parts, Duration.ofSeconds(10)).values()) {
                total += om == null ? 0 : om.offset();
            }
            return total;
        }
    }

    /** Waits until {@code n} members joined the worker group (a share group when {@code share}). */
    void awaitMembers(int n, boolean share) {
        awaitGroup(Duration.ofMillis(100), admin -> hasMembers(admin, n, share, false));
    }

    /**
     * Waits until the worker's share group has {@code members} members, each with partitions assigned, and returns
     * when that was first seen (so at most one describe, 50 ms, after it happened).
     */
    Instant awaitShareAssignment(int members) {
        awaitGroup(Duration.ofMillis(50), admin -> hasMembers(admin, members, true, true));
        return Instant.now();
    }

    private interface GroupCondition {
        boolean holds(org.apache.kafka.clients.admin.Admin admin) throws Exception;
    }

    private void awaitGroup(Duration poll, GroupCondition condition) {
        try (var admin = stack.kafka().newAdmin()) {
            // A KIP-848 group (and a share group) is "not found", rather than empty, until its first member joins.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(poll)
                    .ignoreExceptionsMatching(e -> e.getCause()
                            instanceof org.apache.kafka.common.errors.GroupIdNotFoundException)
                    .until(() -> condition.holds(admin));
        }
    }

    /**
     * Whether the group has {@code n} members: a consumer group's each with partitions, a share group's too when
     * {@code assigned}.
     */
    private boolean hasMembers(org.apache.kafka.clients.admin.Admin admin, int n, boolean share, boolean assigned)
            throws Exception {
        if (share) {
            var d = admin.describeShareGroups(List.of(group)).all().get().get(group);
            return d != null && d.members().size() >= n && (!assigned || d.members().stream()
                    .allMatch(m -> !m.assignment().topicPartitions().isEmpty()));
        }
        var d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        return d != null && d.members().size() >= n && d.members().stream()
                .allMatch(m -> !m.assignment().topicPartitions().isEmpty());
    }
}
