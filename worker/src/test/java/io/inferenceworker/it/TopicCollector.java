package io.inferenceworker.it;

import io.inferenceworker.testkit.DevStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every committed record of one topic from the beginning on a background thread, for assertions; waits for a
 * topic that does not exist yet (a changelog topic Kafka Streams creates later): metadata is refreshed every 500 ms.
 * Records of aborted transactions (Kafka Streams' exactly-once) are never seen.
 *
 * <p>Thread-safe: {@link #records()} and {@link #size()} may be called while records arrive.
 */
public final class TopicCollector implements AutoCloseable {
    private final List<ConsumerRecord<byte[], byte[]>> records = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public TopicCollector(DevStack stack, String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "collector-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        thread = Thread.ofPlatform().daemon().name("collector-" + topic).start(() -> {
            try (consumer) {
                while (running) {
                    consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                }
            }
        });
    }

    /** A copy of the records read so far, in the order read. */
    public List<ConsumerRecord<byte[], byte[]>> records() {
        return new ArrayList<>(records);
    }

    public int size() {
        return records.size();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
