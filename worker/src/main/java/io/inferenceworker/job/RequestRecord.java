package io.inferenceworker.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A request record exactly as it came off the topic, bytes untouched so it can be dead-lettered byte for byte.
 *
 * @param raw        key, value and headers as bytes, with topic, partition, offset and timestamp
 * @param groupId    the consumer or share group that read it
 * @param receivedAt when this worker polled it (queue time is measured from the record's timestamp)
 */
public record RequestRecord(ConsumerRecord<byte[], byte[]> raw, String groupId, Instant receivedAt) {
    public RequestRecord {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /**
     * The record's age at {@code at}: the time since its timestamp (its queue time when its job starts, the job's
     * end-to-end time when it ends); zero when the producer's clock is ahead of ours.
     */
    public Duration age(Instant at) {
        Duration age = Duration.between(Instant.ofEpochMilli(raw.timestamp()), at);
        return age.isNegative() ? Duration.ZERO : age;
    }

    /** {@code topic-partition@offset}, for logs. */
    public String coordinates() {
        return raw.topic() + "-" + raw.partition() + "@" + raw.offset();
    }
}
