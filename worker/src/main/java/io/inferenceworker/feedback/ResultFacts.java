package io.inferenceworker.feedback;

import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.serde.PoisonRecordException;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the facts a vote needs from a result's bytes, as the results table holds them. Called only when a vote
 * looks its job up, never per result.
 *
 * <p>A result that cannot be decoded has no facts: votes on its job then wait and end as unknown jobs, since reading
 * it again will not help. A registry outage is not the record's fault: a
 * {@link io.inferenceworker.serde.RegistryUnavailableException} passes through, so the stream thread fails and the
 * vote is processed again later. Thread-safe when the deserializer is.
 */
final class ResultFacts {
    private static final Logger LOG = LoggerFactory.getLogger(ResultFacts.class);

    private final String resultsTopic;
    private final Deserializer<CompletionResult> deserializer;

    /**
     * @param resultsTopic the results topic (its subject names the schema)
     * @param deserializer the configured deserializer of its values
     */
    ResultFacts(String resultsTopic, Deserializer<CompletionResult> deserializer) {
        this.resultsTopic = Objects.requireNonNull(resultsTopic, "resultsTopic");
        this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
    }

    /** The facts of the result {@code bytes} of {@code jobId}; empty when they cannot be decoded. */
    Optional<JobFacts> of(String jobId, byte[] bytes) {
        try {
            return Optional.ofNullable(JobFacts.of(deserializer.deserialize(resultsTopic, bytes)));
        } catch (PoisonRecordException e) {
            LOG.warn("The result of job {} cannot be decoded for its votes; they will end as unknown jobs: {}", jobId,
                    e.getMessage());
            return Optional.empty();
        }
    }
}
