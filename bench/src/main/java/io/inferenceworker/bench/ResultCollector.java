package io.inferenceworker.bench;

import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.serde.KafkaAvroDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a results topic from the beginning on its own thread and keeps, per job sequence number, the timestamp of
 * its first result (duplicates are counted, not kept). Values are kept undecoded while the run is measured and
 * decoded only by {@link #statusCounts()}, after it, so the collector costs the measured machine little CPU.
 *
 * <p>Thread-safety: the poll thread writes; {@link #awaitDistinct}, {@link #distinct} and the accessors may be
 * called from any thread (accessors after {@link #stop()} see everything read).
 */
final class ResultCollector implements AutoCloseable {
    private final String topic;
    private final String runPrefix;
    private final long[] resultTimestamps;
    private final byte[][] values;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final Object progress = new Object();
    private volatile int distinct;
    private volatile int duplicates;
    private volatile int foreign;
    private volatile boolean running = true;

    ResultCollector(String bootstrapServers, String topic, int partitions, String run, int expected) {
        this.topic = topic;
        this.runPrefix = run + "-";
        this.resultTimestamps = new long[expected];
        this.values = new byte[expected][];
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartition(topic, p)).toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        this.thread = Thread.ofPlatform().name("collector-" + topic).daemon().start(this::loop);
    }

    private void loop() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    accept(r);
                }
                synchronized (progress) {
                    progress.notifyAll();
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void accept(ConsumerRecord<byte[], byte[]> r) {
        int seq = sequenceOf(r.key());
        if (seq < 0 || seq >= resultTimestamps.length) {
            foreign++;
            return;
        }
        if (resultTimestamps[seq] != 0) {
            duplicates++;
            return;
        }
        resultTimestamps[seq] = r.timestamp();
        values[seq] = r.value();
        distinct++;
    }

    /** The sequence number of a job ID {@code <run>-<seq>} of this run, or -1. */
    private int sequenceOf(byte[] key) {
        if (key == null) {
            return -1;
        }
        String id = new String(key, StandardCharsets.UTF_8);
        if (!id.startsWith(runPrefix)) {
            return -1;
        }
        try {
            return Integer.parseInt(id, runPrefix.length(), id.length(), 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Waits until {@code n} distinct jobs have a result, or no new result arrived for {@code stall}, or
     * {@code timeout} passed.
     *
     * @return whether {@code n} results arrived
     */
    boolean awaitDistinct(int n, Duration stall, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastProgress = System.nanoTime();
        int seen = distinct;
        synchronized (progress) {
            while (distinct < n) {
                long now = System.nanoTime();
                if (distinct != seen) {
                    seen = distinct;
                    lastProgress = now;
                }
                if (now > deadline || now - lastProgress > stall.toNanos()) {
                    return false;
                }
                progress.wait(200);
            }
        }
        return true;
    }

    int distinct() {
        return distinct;
    }

    int duplicates() {
        return duplicates;
    }

    /** Results of other runs or with keys not of this run (should stay 0). */
    int foreign() {
        return foreign;
    }

    /** Result timestamps (epoch ms) of the jobs that have one, ascending. */
    long[] sortedTimestamps() {
        return Arrays.stream(resultTimestamps).filter(t -> t != 0).sorted().toArray();
    }

    /** The result timestamp of job {@code seq}, or 0 if it has none. */
    long timestampOf(int seq) {
        return resultTimestamps[seq];
    }

    /** Decodes the kept results: how many per {@code status} (should all be SUCCEEDED). */
    Map<String, Integer> statusCounts(String registryUrl) {
        Map<String, Integer> counts = new TreeMap<>();
        try (KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer()) {
            deserializer.configure(Map.of("schema.registry.url", registryUrl, "specific.avro.reader", "true"), false);
            for (byte[] value : values) {
                if (value != null) {
                    CompletionResult result = (CompletionResult) deserializer.deserialize(topic, value);
                    counts.merge(result.getStatus().toString(), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    /** Stops reading and waits for the poll thread to end; later calls do nothing. */
    void stop() {
        if (!running) {
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
