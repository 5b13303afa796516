package io.inferenceworker.faults;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the results and dead-letter topics of a scenario from the beginning, on a thread of its own, and counts
 * records by key (the job ID, or a poison record's own key: dead letters keep the original key). No consumer group
 * and no registry: keys are plain UTF-8, so the count needs neither, and a broker restart only makes the consumer
 * reconnect. Thread-safe: the counts may be read while the watch runs.
 */
final class OutputWatch implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Integer> results = new ConcurrentHashMap<>();
    private final Map<String, Integer> deadLetters = new ConcurrentHashMap<>();
    private final List<Long> resultArrivals = new ArrayList<>();
    private final AtomicLong lastArrival = new AtomicLong(System.nanoTime());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    OutputWatch(String bootstrapServers, String resultsTopic, String deadLetterTopic, int partitions) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 * 1024 * 1024));
        List<TopicPartition> assignment = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            assignment.add(new TopicPartition(resultsTopic, p));
            assignment.add(new TopicPartition(deadLetterTopic, p));
        }
        thread = Thread.ofPlatform().name("output-watch").daemon().start(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer.assign(assignment);
                consumer.seekToBeginning(assignment);
                while (running.get()) {
                    poll(consumer, resultsTopic);
                }
            }
        });
    }

    private void poll(KafkaConsumer<byte[], byte[]> consumer, String resultsTopic) {
        try {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                String key = r.key() == null ? "<no key>" : new String(r.key(), StandardCharsets.UTF_8);
                long now = System.nanoTime();
                if (r.topic().equals(resultsTopic)) {
                    results.merge(key, 1, Integer::sum);
                    synchronized (resultArrivals) {
                        resultArrivals.add(now);
                    }
                } else {
                    deadLetters.merge(key, 1, Integer::sum);
                }
                lastArrival.set(now);
            }
        } catch (KafkaException e) {
            // A broker outage: the consumer retries by itself on the next poll.
        }
    }

    int results(String key) {
        return results.getOrDefault(key, 0);
    }

    int deadLetters(String key) {
        return deadLetters.getOrDefault(key, 0);
    }

    /** Whether {@code key} has a result or a dead letter. */
    boolean ended(String key) {
        return results.containsKey(key) || deadLetters.containsKey(key);
    }

    /** Results that arrived within {@code window} before now. */
    int resultsWithin(Duration window) {
        long since = System.nanoTime() - window.toNanos();
        synchronized (resultArrivals) {
            int n = 0;
            for (int i = resultArrivals.size() - 1; i >= 0 && resultArrivals.get(i) >= since; i--) {
                n++;
            }
            return n;
        }
    }

    /** How long ago the last output record arrived. */
    Duration sinceLastArrival() {
        return Duration.ofNanos(System.nanoTime() - lastArrival.get());
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(Duration.ofSeconds(10));
    }
}
