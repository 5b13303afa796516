package io.inferenceworker.feedback;

import io.inferenceworker.publish.DeadLetters;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Dead letters of vote requests, in the worker's one convention ({@link DeadLetters}): the original key, value and
 * headers byte for byte plus {@code __connect.errors.*} headers, with the Kafka Streams application ID as the
 * consumer group. Thread-safe.
 */
final class VoteDeadLetters {
    static final String UNKNOWN_JOB = "unknown_job";

    private final DeadLetters deadLetters;
    private final String groupId;

    VoteDeadLetters(DeadLetters deadLetters, String groupId) {
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.groupId = Objects.requireNonNull(groupId, "groupId");
    }

    /** A vote that cannot be decoded or has a bad key. */
    ProducerRecord<byte[], byte[]> rejected(PendingVote vote, VoteDecoder.Rejected why, String jobId) {
        return deadLetters.of(vote.asConsumerRecord(), groupId, DeadLetters.Reason.of(why.stage(),
                why.exceptionClass(), why.message(), why.errorCode()).withJob(jobId, null));
    }

    /** A vote whose job's result did not arrive within {@code window}: stage {@code join}, code {@code unknown_job}. */
    ProducerRecord<byte[], byte[]> unknownJob(PendingVote vote, String jobId, Duration window) {
        return deadLetters.of(vote.asConsumerRecord(), groupId, DeadLetters.Reason.of(DeadLetters.Stage.JOIN,
                UnknownJobException.class.getName(), "unknown job: no result of job '" + jobId
                + "' arrived within " + window + " of the vote", UNKNOWN_JOB).withJob(jobId, null));
    }
}
