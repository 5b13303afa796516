package io.inferenceworker.bench;

import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Role;
import io.inferenceworker.serde.KafkaAvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces benchmark requests: {@code CompletionRequest}s for provider {@code sim}, job IDs {@code <run>-<seq>},
 * prompts of an exact size, Avro in the Confluent wire format.
 *
 * <p>{@link #preProduce} uses a throughput producer (acks=1, linger 20 ms, lz4, large batches) and waits until
 * every record is acknowledged. {@link #paced} sends at a fixed rate from one thread with a latency producer
 * (linger 0), stamping each record with its send time, which is what end-to-end latency is measured from.
 *
 * <p>Not thread-safe: one feeder per scenario run.
 */
final class RequestFeeder implements AutoCloseable {
    static final String PROVIDER = "sim";
    static final String MODEL = "bench-model";

    private final KafkaAvroSerializer serializer = new KafkaAvroSerializer();
    private final String bootstrapServers;

    RequestFeeder(String bootstrapServers, String registryUrl) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        serializer.configure(Map.of("schema.registry.url", registryUrl), false);
    }

    /** Sends {@code count} requests, sequence numbers from {@code firstSeq}; returns once Kafka acknowledged all. */
    void preProduce(String topic, String run, int firstSeq, int count, int promptBytes, boolean stream) {
        String prompt = prompt(promptBytes);
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of(
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.LINGER_MS_CONFIG, "20",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024),
                ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(256L * 1024 * 1024)))) {
            for (int seq = firstSeq; seq < firstSeq + count; seq++) {
                producer.send(record(topic, run, seq, prompt, stream, null));
            }
            producer.flush();
        }
    }

    /**
     * Sends {@code ratePerSecond} requests a second for {@code duration}, sequence numbers from {@code firstSeq},
     * and returns each one's send time (epoch ms, also its record timestamp), indexed by sequence − firstSeq.
     */
    long[] paced(String topic, String run, int firstSeq, double ratePerSecond, Duration duration, int promptBytes,
                 boolean stream) {
        String prompt = prompt(promptBytes);
        int count = (int) Math.max(1, Math.round(ratePerSecond * duration.toMillis() / 1000.0));
        long[] sentAt = new long[count];
        double intervalNanos = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of(
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.LINGER_MS_CONFIG, "0",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"))) {
            // Registers the schema before the clock starts.
            serializer.serialize(topic, request(run, firstSeq, prompt, stream));
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long due = start + (long) (i * intervalNanos);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                long now = System.currentTimeMillis();
                sentAt[i] = now;
                producer.send(record(topic, run, firstSeq + i, prompt, stream, now));
            }
            producer.flush();
        }
        return sentAt;
    }

    private ProducerRecord<byte[], byte[]> record(String topic, String run, int seq, String prompt, boolean stream,
                                                  Long timestamp) {
        CompletionRequest request = request(run, seq, prompt, stream);
        byte[] key = request.getJobId().getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, null, timestamp, key, serializer.serialize(topic, request));
    }

    private static CompletionRequest request(String run, int seq, String prompt, boolean stream) {
        return CompletionRequest.newBuilder()
                .setJobId(jobId(run, seq))
                .setProvider(PROVIDER)
                .setModel(MODEL)
                .setStream(stream)
                .setMessages(List.of(Message.newBuilder().setRole(Role.USER).setContent(prompt).build()))
                .build();
    }

    static String jobId(String run, int seq) {
        return run + "-" + seq;
    }

    /** A prompt of exactly {@code bytes} ASCII bytes: words, so the simulator's token counts are realistic. */
    static String prompt(int bytes) {
        String words = "The quick brown fox jumps over the lazy dog while the worker keeps calls in flight. ";
        StringBuilder text = new StringBuilder(bytes + words.length());
        while (text.length() < bytes) {
            text.append(words);
        }
        text.setLength(bytes);
        return text.toString();
    }

    private KafkaProducer<byte[], byte[]> producer(Map<String, String> settings) {
        Map<String, Object> props = new HashMap<>(settings);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void close() {
        serializer.close();
    }
}
