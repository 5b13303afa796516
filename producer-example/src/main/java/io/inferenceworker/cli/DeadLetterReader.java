package io.inferenceworker.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** Reads the whole dead-letter topic as it is now (from its beginning to its current end). Stateless. */
final class DeadLetterReader {
    private static final Duration POLL = Duration.ofMillis(200);

    private DeadLetterReader() {
    }

    /**
     * Every dead letter up to the end offsets at call time, in partition order.
     *
     * @throws IllegalStateException if the end is not reached within {@code timeout}
     */
    static List<DeadLetter> readAll(KafkaClients clients, String topic, Duration timeout) {
        List<DeadLetter> letters = new ArrayList<>();
        try (TopicReader reader = TopicReader.open(clients, List.of(topic), true)) {
            Map<TopicPartition, Long> ends = reader.endOffsets();
            Instant deadline = Instant.now().plus(timeout);
            while (!reader.reached(ends)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("could not read " + topic + " to its end within "
                            + Times.human(timeout));
                }
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(POLL)) {
                    Long end = ends.get(new TopicPartition(record.topic(), record.partition()));
                    if (end != null && record.offset() < end) {
                        letters.add(new DeadLetter(record));
                    }
                }
            }
        }
        return letters;
    }
}
