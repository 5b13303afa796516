package io.inferenceworker.publish;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Sends output records through one producer. Values are serialized here (Confluent wire format) rather than in the
 * producer so that dead letters, which are raw bytes, share the same producer, batches and idempotence.
 *
 * <p>A returned future completes when Kafka has acknowledged the record ({@code acks=all}) and fails with the
 * producer's or the serializer's exception. Thread-safe: called from every job's virtual thread.
 */
public final class OutputPublisher implements AutoCloseable {
    /**
     * How long {@link #close()} waits for buffered records: bounded, so a worker stops within its shutdown grace plus
     * a few seconds even when Kafka is unreachable (every job has already ended by then; what is still buffered
     * belongs to abandoned jobs, which are replayed).
     */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Producer<byte[], byte[]> producer;
    private final Serializer<Object> valueSerializer;

    public OutputPublisher(Producer<byte[], byte[]> producer, Serializer<Object> valueSerializer) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.valueSerializer = Objects.requireNonNull(valueSerializer, "valueSerializer");
    }

    /** Serializes {@code value} for {@code topic} and sends it keyed by {@code key} (a job ID). */
    public CompletableFuture<RecordMetadata> send(String topic, String key, SpecificRecord value, Headers headers) {
        Headers copy = new RecordHeaders(headers.toArray());
        byte[] bytes;
        try {
            bytes = valueSerializer.serialize(topic, copy, value);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return sendRaw(new ProducerRecord<>(topic, null, key.getBytes(StandardCharsets.UTF_8), bytes, copy));
    }

    /** Sends bytes as they are (dead letters). */
    public CompletableFuture<RecordMetadata> sendRaw(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    acked.completeExceptionally(error);
                } else {
                    acked.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }

    public void flush() {
        producer.flush();
    }

    /** Flushes what is buffered, waiting at most {@code timeout}. */
    public void close(Duration timeout) {
        producer.close(timeout);
    }

    /** Closes within {@link #DEFAULT_CLOSE_TIMEOUT}. */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_TIMEOUT);
    }
}
