package io.inferenceworker.intake;

import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Uuid;

/**
 * Where a new owner of a partition starts and what it takes from the group's commit. The completed offsets in the
 * commit metadata ({@link CompletedOffsets}) are trusted only when they are about the log the consumer now reads:
 * same topic ID, written for the committed offset, and the consumer's position after assignment is that offset (no
 * reset, no truncation detected through the commit's leader epoch). Anything else replays: at-least-once, never a
 * skipped record.
 */
sealed interface Resume {

    /** The claim holds: skip what it says is complete. */
    record Trusted(long start, OffsetRanges completed) implements Resume {
    }

    /** Start at the consumer's position ({@code -1} if unknown) and run every record. */
    record Replay(long start, String reason) implements Resume {
    }

    /**
     * The commit was made for another topic with the same name (deleted and recreated): its offset means nothing for
     * this log, so start from the log's beginning.
     */
    record FromBeginning(Uuid committedFor) implements Resume {
    }

    /**
     * @param committed the group's commit for the partition, or null
     * @param topicId   the ID of the topic the consumer reads, or null if unknown
     * @param position  the consumer's position after assignment, or empty if unknown
     */
    static Resume decide(OffsetAndMetadata committed, Uuid topicId, OptionalLong position) {
        long start = position.orElse(-1);
        if (committed == null) {
            return new Replay(start, "no commit");
        }
        Optional<CompletedOffsets.Claim> decoded = CompletedOffsets.decode(committed.metadata());
        if (decoded.isEmpty()) {
            return new Replay(start, "no completed offsets in the commit metadata (none, iw1, foreign or malformed)");
        }
        CompletedOffsets.Claim claim = decoded.get();
        if (topicId == null) {
            return new Replay(start, "topic ID unknown");
        }
        if (!claim.topicId().equals(topicId)) {
            return new FromBeginning(claim.topicId());
        }
        if (claim.offset() != committed.offset()) {
            return new Replay(start, "the committed offset " + committed.offset()
                    + " is not the one the metadata was written for, " + claim.offset());
        }
        if (position.isEmpty() || position.getAsLong() != committed.offset()) {
            return new Replay(start, "position " + (position.isEmpty() ? "unknown" : position.getAsLong())
                    + " is not the committed offset " + committed.offset() + " (reset or truncation)");
        }
        return new Trusted(start, claim.completed());
    }
}
