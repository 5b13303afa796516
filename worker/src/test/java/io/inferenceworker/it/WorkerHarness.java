package io.inferenceworker.it;

import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.ContentPart;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Role;
import io.inferenceworker.serde.KafkaAvroDeserializer;
import io.inferenceworker.serde.KafkaAvroSerializer;
import io.inferenceworker.testkit.DevStack;
import io.inferenceworker.testkit.sim.Dialect;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One isolated test world on the shared dev stack: unique topics and group, a producer of requests, collectors of
 * every output topic, and workers (Micronaut contexts) started on demand.
 */
final class WorkerHarness implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();

    final DevStack stack = DevStack.shared();
    final String prefix;
    final String requests;
    final String results;
    final String usage;
    final String chunks;
    final String dlq;
    final String group;
    private final int partitions;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaAvroSerializer serializer = new KafkaAvroSerializer();
    private final KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
    private final List<ApplicationContext> workers = new CopyOnWriteArrayList<>();
    private final Map<String, TopicCollector> collectors = new ConcurrentHashMap<>();

    WorkerHarness(String name, int partitions) {
        this.prefix = name + "-" + SEQ.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.partitions = partitions;
        this.requests = prefix + ".requests";
        this.results = prefix + ".results";
        this.usage = prefix + ".usage";
        this.chunks = prefix + ".chunks";
        this.dlq = prefix + ".dlq";
        this.group = prefix + ".group";
        stack.kafka().createTopic(requests, partitions);
        for (String t : List.of(results, usage, chunks, dlq)) {
            stack.kafka().createTopic(t, partitions);
        }
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", stack.kafka().bootstrapServers());
        props.put("linger.ms", "1");
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        serializer.configure(Map.of("schema.registry.url", stack.registry().url()), false);
        deserializer.configure(Map.of("schema.registry.url", stack.registry().url(), "specific.avro.reader", "true"),
                false);
    }

    /** Worker configuration for this world; {@code overrides} win. */
    Map<String, Object> workerProperties(Map<String, Object> overrides) {
        Map<String, Object> p = new HashMap<>();
        p.put("kafka.bootstrap-servers", stack.kafka().bootstrapServers());
        p.put("kafka.group-id", group);
        p.put("schema-registry.url", stack.registry().url());
        p.put("topics.requests", requests);
        p.put("topics.results", results);
        p.put("topics.usage", usage);
        p.put("topics.chunks", chunks);
        p.put("topics.dead-letters", dlq);
        p.put("worker.commit-interval", "100ms");
        p.put("worker.shutdown-grace", "5s");
        p.put("micronaut.server.port", -1);
        p.put("votes.enabled", "false"); // the votes component has its own tests and topics
        p.put("providers.sim.type", "openai");
        p.put("providers.sim.base-url", stack.simulator().baseUrl(Dialect.OPENAI));
        p.put("providers.sim.retry.initial-backoff", "20ms");
        p.put("providers.sim.retry.max-backoff", "200ms");
        p.put("providers.sim.retry.attempt-timeout", "2s");
        p.put("providers.sim.circuit-breaker.enabled", "false");
        p.putAll(overrides);
        return p;
    }

    ApplicationContext startWorker(Map<String, Object> overrides) {
        flush();
        ApplicationContext ctx = ApplicationContext.builder()
                .properties(workerProperties(overrides))
                .deduceEnvironment(false)
                .environments("it")
                .start();
        workers.add(ctx);
        return ctx;
    }

    void stopWorker(ApplicationContext ctx) {
        workers.remove(ctx);
        ctx.close();
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
        byte[] value = serializer.serialize(requests, request);
        sendRaw(request.getJobId().getBytes(StandardCharsets.UTF_8), value, headers);
    }

    void sendRaw(byte[] key, byte[] value, List<Header> headers) {
        producer.send(new ProducerRecord<>(requests, null, key, value, headers));
    }

    /** Waits until every request sent so far is in the topic. */
    void flush() {
        producer.flush();
    }

    byte[] serialize(CompletionRequest request) {
        return serializer.serialize(requests, request);
    }

    TopicCollector collector(String topic) {
        return collectors.computeIfAbsent(topic, t -> new TopicCollector(stack, t));
    }

    List<CompletionResult> results() {
        List<CompletionResult> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : collector(results).records()) {
            out.add((CompletionResult) decode(results, r));
        }
        return out;
    }

    Object decode(String topic, ConsumerRecord<byte[], byte[]> r) {
        return deserializer.deserialize(topic, r.headers(), r.value());
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
        try (var admin = stack.kafka().newAdmin()) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                if (share) {
                    var d = admin.describeShareGroups(List.of(group)).all().get().get(group);
                    return d != null && d.members().size() >= n;
                }
                var d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                return d != null && d.members().size() >= n && d.members().stream()
                        .allMatch(m -> !m.assignment().topicPartitions().isEmpty());
            });
        }
    }

    @Override
    public void close() {
        for (ApplicationContext ctx : workers) {
            ctx.close();
        }
        collectors.values().forEach(TopicCollector::close);
        producer.close(Duration.ofSeconds(5));
        serializer.close();
        deserializer.close();
    }
}
