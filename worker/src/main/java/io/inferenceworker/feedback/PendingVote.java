package io.inferenceworker.feedback;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * A vote request as it arrived, byte for byte, with where it came from: kept in the pending-votes store until its
 * VoteRecord is written, so that it can be dead-lettered unchanged, and survive a restart or a rebalance.
 *
 * @param topic     source topic
 * @param partition source partition
 * @param offset    source offset; with topic and partition, identifies the vote
 * @param timestamp the record's timestamp
 * @param key       original key bytes (the job ID), or null
 * @param value     original value bytes (a VoteRequest in the Confluent wire format)
 * @param headers   original headers
 * @param arrivedAt when this worker first saw the vote (epoch millis, wall clock); the wait window starts here
 */
record PendingVote(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                   List<HeaderEntry> headers, long arrivedAt) {

    /** One header; {@code value} may be null. */
    record HeaderEntry(String key, byte[] value) {
    }

    PendingVote {
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    static List<HeaderEntry> entries(Headers headers) {
        List<HeaderEntry> out = new ArrayList<>();
        for (Header h : headers) {
            out.add(new HeaderEntry(h.key(), h.value()));
        }
        return out;
    }

    /** Whether {@code other} is the same input record. */
    boolean sameRecordAs(PendingVote other) {
        return other != null && topic.equals(other.topic) && partition == other.partition && offset == other.offset;
    }

    Headers kafkaHeaders() {
        Headers out = new RecordHeaders();
        headers.forEach(h -> out.add(h.key(), h.value()));
        return out;
    }

    /** The last value of header {@code name} as UTF-8 text. */
    Optional<String> header(String name) {
        Header h = kafkaHeaders().lastHeader(name);
        return h == null || h.value() == null ? Optional.empty()
                : Optional.of(new String(h.value(), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The original record, as {@link io.inferenceworker.publish.DeadLetters} expects its source. */
    ConsumerRecord<byte[], byte[]> asConsumerRecord() {
        return new ConsumerRecord<>(topic, partition, offset, timestamp, TimestampType.CREATE_TIME,
                key == null ? -1 : key.length, value == null ? -1 : value.length, key, value, kafkaHeaders(),
                Optional.empty());
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
