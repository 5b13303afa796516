package io.inferenceworker.cli;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record of the dead-letter topic: the original request's key, value and headers byte for byte, plus the reason in
 * Kafka Connect's {@code __connect.errors.*} headers (UTF-8 text), as the worker's {@code publish.DeadLetters}
 * writes them.
 *
 * @param record the dead letter as read
 */
record DeadLetter(ConsumerRecord<byte[], byte[]> record) {
    static final String PREFIX = "__connect.errors.";

    DeadLetter {
        Objects.requireNonNull(record, "record");
    }

    /** When the record was dead-lettered (the dead letter's own timestamp). */
    Instant deadLetteredAt() {
        return Instant.ofEpochMilli(record.timestamp());
    }

    /** The job ID header, else the record key (undecodable records may have neither). */
    Optional<String> jobId() {
        return header("job.id").or(() -> Optional.ofNullable(record.key())
                .map(key -> new String(key, StandardCharsets.UTF_8)));
    }

    Optional<String> stage() {
        return header("stage");
    }

    Optional<String> exceptionClass() {
        return header("exception.class.name");
    }

    Optional<String> exceptionMessage() {
        return header("exception.message");
    }

    Optional<String> errorCode() {
        return header("error.code");
    }

    Optional<String> provider() {
        return header("provider");
    }

    Optional<String> httpStatus() {
        return header("http.status");
    }

    /** {@code topic-partition@offset} of the original record. */
    String origin() {
        return header("topic").orElse("?") + "-" + header("partition").orElse("?") + "@" + header("offset").orElse("?");
    }

    /** {@code topic-partition@offset} of this dead letter. */
    String position() {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** The original headers: every header but the {@code __connect.errors.*} ones, in order. */
    Headers originalHeaders() {
        Headers headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().startsWith(PREFIX)) {
                headers.add(header.key(), header.value());
            }
        }
        return headers;
    }

    /** The {@code __connect.errors.<name>} header, if present. */
    Optional<String> header(String name) {
        Header header = record.headers().lastHeader(PREFIX + name);
        return header == null || header.value() == null ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }
}
