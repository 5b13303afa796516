package io.inferenceworker.feedback;

import io.inferenceworker.schemas.VoteRecord;
import io.inferenceworker.schemas.VoteRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/** Builds the VoteRecord of a vote, its job and the forwarding outcome. Thread-safe. */
final class VoteRecords {
    private final Clock clock;

    VoteRecords(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param vote      the decoded vote request
     * @param timestamp the vote record's Kafka timestamp, used when the vote has no {@code voted_at}
     * @param facts     the job's facts
     * @param outcome   how forwarding ended
     */
    VoteRecord of(VoteRequest vote, long timestamp, JobFacts facts, ForwardOutcome outcome) {
        return VoteRecord.newBuilder()
                .setJobId(vote.getJobId())
                .setVote(vote.getVote())
                .setComment(vote.getComment())
                .setVoter(vote.getVoter())
                .setProvider(facts.provider())
                .setModel(facts.model())
                .setResponseId(facts.responseId())
                .setJobStatus(facts.status())
                .setForwarded(outcome instanceof ForwardOutcome.Forwarded)
                .setForwardStatus(outcome.status())
                .setForwardDetail(outcome.detail())
                .setForwardAttempts(outcome.attempts())
                .setVotedAt(vote.getVotedAt() != null ? vote.getVotedAt() : Instant.ofEpochMilli(timestamp))
                .setRecordedAt(clock.instant())
                .setMetadata(vote.getMetadata())
                .build();
    }
}
