package io.inferenceworker.it;

import io.inferenceworker.serde.KafkaAvroDeserializer;
import io.inferenceworker.serde.KafkaAvroSerializer;
import io.inferenceworker.testkit.DevStack;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the isolated test worlds on the shared dev stack have in common: unique names (a prefix, the pipeline's
 * topics {@code <prefix>.requests|results|usage|chunks|dlq} and group {@code <prefix>.group}), one producer, the
 * Avro serde against the shared registry, collectors of output topics, and the workers (Micronaut contexts) started
 * in it, all closed by {@link #close()}. Subclasses create the topics, with their own partitions and policies.
 *
 * <p>Thread-safe for the calls tests make from awaiting threads (collectors, decoding).
 */
public class StackWorld implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();

    public final DevStack stack = DevStack.shared();
    public final String prefix;
    public final String requests;
    public final String results;
    public final String usage;
    public final String chunks;
    public final String dlq;
    public final String group;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaAvroSerializer serializer = new KafkaAvroSerializer();
    private final KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
    private final List<ApplicationContext> workers = new CopyOnWriteArrayList<>();
    private final Map<String, TopicCollector> collectors = new ConcurrentHashMap<>();

    /** Names a new world after {@code name}; creates no topics. */
    protected StackWorld(String name) {
        this.prefix = name + "-" + SEQ.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.requests = prefix + ".requests";
        this.results = prefix + ".results";
        this.usage = prefix + ".usage";
        this.chunks = prefix + ".chunks";
        this.dlq = prefix + ".dlq";
        this.group = prefix + ".group";
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", stack.kafka().bootstrapServers());
        props.put("linger.ms", "1");
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        serializer.configure(Map.of("schema.registry.url", stack.registry().url()), false);
        deserializer.configure(Map.of("schema.registry.url", stack.registry().url(), "specific.avro.reader", "true"),
                false);
    }

    /**
     * The worker configuration every world shares: the stack's Kafka and registry, this world's group and pipeline
     * topics, commits every 100 ms, a 5 s shutdown grace, and no HTTP server.
     */
    protected Map<String, Object> baseProperties() {
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
        return p;
    }

    /**
     * Adds provider instance {@code name} of {@code type} at {@code baseUrl} to {@code p}: fast retries (20 ms up to
     * {@code maxBackoff}, 2 s attempts) and no circuit breaker.
     */
    protected static void provider(Map<String, Object> p, String name, String type, String baseUrl,
            String maxBackoff) {
        String prefix = "providers." + name + ".";
        p.put(prefix + "type", type);
        p.put(prefix + "base-url", baseUrl);
        p.put(prefix + "retry.initial-backoff", "20ms");
        p.put(prefix + "retry.max-backoff", maxBackoff);
        p.put(prefix + "retry.attempt-timeout", "2s");
        p.put(prefix + "circuit-breaker.enabled", "false");
    }

    /** Starts a worker configured by {@code properties}, once everything produced so far is in its topics. */
    protected ApplicationContext start(Map<String, Object> properties) {
        return start(properties, new Object[0]);
    }

    /** Starts a worker as {@link #start(Map)} does, with {@code singletons} registered as beans before it starts. */
    protected ApplicationContext start(Map<String, Object> properties, Object... singletons) {
        flush();
        ApplicationContext ctx = ApplicationContext.builder()
                .properties(properties)
                .singletons(singletons)
                .deduceEnvironment(false)
                .environments("it")
                .start();
        workers.add(ctx);
        return ctx;
    }

    public void stopWorker(ApplicationContext ctx) {
        workers.remove(ctx);
        ctx.close();
    }

    /** Avro-encodes {@code record} for {@code topic}, registering its schema. */
    protected byte[] encode(String topic, Object record) {
        return serializer.serialize(topic, record);
    }

    public Object decode(String topic, ConsumerRecord<byte[], byte[]> r) {
        return deserializer.deserialize(topic, r.headers(), r.value());
    }

    /** Sends one record; {@link #flush()} waits for it. */
    protected void produce(String topic, byte[] key, byte[] value, List<Header> headers) {
        producer.send(new ProducerRecord<>(topic, null, key, value, headers));
    }

    /** Waits until every record sent so far is in its topic. */
    public void flush() {
        producer.flush();
    }

    public TopicCollector collector(String topic) {
        return collectors.computeIfAbsent(topic, t -> new TopicCollector(stack, t));
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
