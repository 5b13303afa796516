package io.inferenceworker.feedback;

import io.inferenceworker.publish.DeadLetters;
import io.inferenceworker.schemas.VoteRequest;
import io.inferenceworker.serde.PoisonRecordException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Turns a vote request's bytes into a {@link VoteRequest}, or says why it must be dead-lettered: undecodable bytes
 * (stage {@code decode}), a missing key, or a key that is not the vote's {@code job_id} (stage {@code validate}: the
 * key decides the partition, and so which worker holds the job's result).
 *
 * <p>Registry outages are not the record's fault: a {@link io.inferenceworker.serde.RegistryUnavailableException}
 * passes through, so the stream thread fails and the record is processed again later. Thread-safe.
 */
final class VoteDecoder {

    /** The outcome of decoding. */
    sealed interface Decoding {
    }

    /** A usable vote. */
    record Decoded(VoteRequest vote) implements Decoding {
    }

    /** A vote to dead-letter, with the reason's parts. */
    record Rejected(DeadLetters.Stage stage, String exceptionClass, String message, String errorCode)
            implements Decoding {
    }

    private final Deserializer<VoteRequest> deserializer;

    VoteDecoder(Deserializer<VoteRequest> deserializer) {
        this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
    }

    Decoding decode(String topic, byte[] key, byte[] value) {
        if (value == null) {
            return new Rejected(DeadLetters.Stage.DECODE, InvalidVoteException.class.getName(),
                    "vote request has no value", "undecodable");
        }
        VoteRequest vote;
        try {
            vote = deserializer.deserialize(topic, value);
        } catch (PoisonRecordException e) {
            return new Rejected(DeadLetters.Stage.DECODE, e.getClass().getName(), String.valueOf(e.getMessage()),
                    "undecodable");
        }
        if (key == null) {
            return new Rejected(DeadLetters.Stage.VALIDATE, InvalidVoteException.class.getName(),
                    "vote request for job '" + vote.getJobId() + "' has no key; the key must be the job ID",
                    "invalid_vote");
        }
        String jobId = new String(key, StandardCharsets.UTF_8);
        if (!jobId.equals(vote.getJobId())) {
            return new Rejected(DeadLetters.Stage.VALIDATE, InvalidVoteException.class.getName(),
                    "vote request key '" + jobId + "' differs from its job_id '" + vote.getJobId() + "'",
                    "invalid_vote");
        }
        return new Decoded(vote);
    }
}
