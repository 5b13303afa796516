package io.inferenceworker.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads every partition of some topics without a consumer group, from their current end (records produced from now
 * on) or from their beginning. The start position is fixed when the reader opens, so a caller that opens a reader
 * and then sends a request cannot miss its answer. Not thread-safe (one Kafka consumer).
 */
final class TopicReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Set<TopicPartition> partitions;

    private TopicReader(KafkaConsumer<byte[], byte[]> consumer, Set<TopicPartition> partitions) {
        this.consumer = consumer;
        this.partitions = partitions;
    }

    /**
     * @throws IllegalArgumentException if a topic does not exist
     */
    static TopicReader open(KafkaClients clients, Collection<String> topics, boolean fromBeginning) {
        KafkaConsumer<byte[], byte[]> consumer = clients.consumer();
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, clients.connectTimeout());
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalArgumentException("topic '" + topic + "' does not exist");
                }
                infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            }
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            partitions.forEach(consumer::position); // resolves the lazy seeks now: the start is fixed from here
            return new TopicReader(consumer, Set.copyOf(partitions));
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
    }

    List<ConsumerRecord<byte[], byte[]>> poll(Duration maxWait) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        consumer.poll(maxWait).forEach(records::add);
        return records;
    }

    /** The current end offsets of {@code topic}'s partitions. */
    Map<TopicPartition, Long> endOffsets(String topic) {
        return consumer.endOffsets(partitions.stream().filter(tp -> tp.topic().equals(topic)).toList());
    }

    /** The current end offsets of every partition. */
    Map<TopicPartition, Long> endOffsets() {
        return consumer.endOffsets(partitions);
    }

    /** Whether this reader has read up to {@code ends} in every partition named there. */
    boolean reached(Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    Set<String> topics() {
        return partitions.stream().map(TopicPartition::topic).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Closes at once: the consumer has no group and nothing to commit, and waiting would only wait for the broker's
     * answer to a fetch in flight (up to {@code fetch.max.wait.ms}, 500 ms), which nobody reads any more.
     */
    @Override
    public void close() {
        consumer.close(Duration.ZERO);
    }
}
