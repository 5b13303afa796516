package io.inferenceworker.job;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.serde.PoisonRecordException;
import io.inferenceworker.serde.SerdeException;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns request records into jobs. A record that can never decode is {@link Decoding.Poison}; a registry problem is
 * not: an outage, or a misconfiguration such as rejected credentials, says nothing about the record, so decoding
 * waits for the registry (backing off up to {@link #MAX_REGISTRY_BACKOFF}, readiness reporting DOWN meanwhile) for
 * as long as the worker runs. Dead-lettering good records during an outage would take them out of the normal flow.
 *
 * <p>Thread-safe if the deserializer is (ours is).
 */
final class JobDecoder {
    static final Duration MAX_REGISTRY_BACKOFF = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(JobDecoder.class);

    private final Deserializer<CompletionRequest> deserializer;
    private final RetryPolicy<CompletionRequest> registryOutage;

    JobDecoder(Deserializer<CompletionRequest> deserializer) {
        this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
        this.registryOutage = RetryPolicy.<CompletionRequest>builder()
                .handleIf(e -> e instanceof SerdeException && !(e instanceof PoisonRecordException))
                .withBackoff(Duration.ofMillis(100), MAX_REGISTRY_BACKOFF)
                .withMaxRetries(-1)
                .onRetry(e -> LOG.warn("Schema Registry not usable, decoding retried (attempt {}): {}",
                        e.getAttemptCount(), e.getLastException().getMessage()))
                .build();
    }

    /**
     * @throws JobAbandonedException when interrupted (shutdown) while waiting for the registry
     */
    Decoding decode(RequestRecord record) {
        ConsumerRecord<byte[], byte[]> raw = record.raw();
        if (raw.key() == null || raw.key().length == 0) {
            return poison("record has no key (the job ID)");
        }
        if (raw.value() == null) {
            return poison("record has no value");
        }
        CompletionRequest request;
        try {
            request = Failsafe.with(registryOutage)
                    .get(() -> (CompletionRequest) deserializer.deserialize(raw.topic(), raw.headers(), raw.value()));
        } catch (PoisonRecordException e) {
            return new Decoding.Poison(e.getMessage(), e);
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new JobAbandonedException("interrupted while waiting for the Schema Registry", e);
            }
            throw e;
        }
        if (request == null) {
            return poison("record value decoded to null");
        }
        return new Decoding.Decoded(new Job(request, record));
    }

    private static Decoding poison(String reason) {
        return new Decoding.Poison(reason, new MissingPartException(reason));
    }

    /** A record without a key or value: as poisonous as corrupt bytes. */
    static final class MissingPartException extends RuntimeException {
        MissingPartException(String message) {
            super(message);
        }
    }
}
