package io.inferenceworker.intake;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Uuid;

/**
 * Delivery and completion bookkeeping of one partition for one owner, and the commit it calls for: the offset of the
 * first delivered record not yet complete (or one past the last delivered record), the leader epoch of the last record
 * below it, and the offsets completed beyond it ({@link CompletedOffsets}), which the next owner skips instead of
 * calling the provider again.
 *
 * <p><b>Cost.</b> Only the records not yet complete are held one by one (in flight, waiting for a permit, or abandoned
 * at shutdown): their number is bounded by the in-flight limit and the poll size, not by the distance to the oldest
 * one. Everything completed is implied: it is what lies between them. A record stuck for hours therefore costs one
 * entry, and a commit O(records not complete), capped by the metadata limit; nothing is recomputed while nothing
 * changed. Completed offsets inherited from an earlier owner are ranges ({@link OffsetRanges}).
 *
 * <p>Offsets never delivered (compaction, transaction markers) count as complete: there is nothing there to run.
 *
 * <p>A commit counts as done only when Kafka acknowledged it ({@link #committed}): until then it is proposed again.
 *
 * <p>Not thread-safe: owned by the poll thread.
 */
final class OffsetTracker {
    /** The commit a partition calls for. */
    record Commit(long offset, Optional<Integer> leaderEpoch, String metadata) {
        Commit {
            Objects.requireNonNull(leaderEpoch, "leaderEpoch");
            Objects.requireNonNull(metadata, "metadata");
        }

        static Commit of(OffsetAndMetadata om) {
            return new Commit(om.offset(), om.leaderEpoch(), om.metadata() == null ? "" : om.metadata());
        }

        OffsetAndMetadata toKafka() {
            return new OffsetAndMetadata(offset, leaderEpoch, metadata);
        }
    }

    private static final int NO_EPOCH = -1;

    private final TreeSet<Long> pending = new TreeSet<>();
    /** First delivered offset of each leader epoch seen (epochs only grow along a log): a handful of entries. */
    private final TreeMap<Long, Integer> epochStarts = new TreeMap<>();
    private final OffsetRanges earlier;
    private long next;
    private long firstDelivered = -1;
    private Commit committed;
    private Commit proposal;
    private Uuid proposalTopic;
    private boolean changed = true;

    /**
     * @param start            the consumer's position when the partition was assigned, or -1 if unknown
     * @param completedEarlier offsets at or above {@code start} that an earlier owner completed, trusted
     * @param committed        the group's commit when the partition was assigned, or null
     */
    OffsetTracker(long start, OffsetRanges completedEarlier, Commit committed) {
        this.next = start;
        this.earlier = Objects.requireNonNull(completedEarlier, "completedEarlier");
        this.committed = committed;
    }

    /** True when {@code offset} can come next; false when the position went back (a reset): start a new tracker. */
    boolean follows(long offset) {
        return next < 0 || offset >= next;
    }

    /**
     * Records that {@code offset} was delivered to this worker; offsets come in ascending order ({@link #follows}).
     *
     * @param leaderEpoch the record's leader epoch, if it has one
     * @return true when an earlier owner already completed it: it must not run again
     */
    boolean delivered(long offset, Optional<Integer> leaderEpoch) {
        if (!follows(offset)) {
            throw new IllegalArgumentException("offset " + offset + " delivered after " + (next - 1));
        }
        int epoch = leaderEpoch.orElse(NO_EPOCH);
        Map.Entry<Long, Integer> last = epochStarts.lastEntry();
        if (last == null || last.getValue() != epoch) {
            epochStarts.put(offset, epoch);
        }
        if (firstDelivered < 0) {
            firstDelivered = offset;
        }
        next = offset + 1;
        changed = true;
        earlier.dropBelow(offset);
        if (earlier.contains(offset)) {
            return true;
        }
        pending.add(offset);
        return false;
    }

    /** The record at {@code offset} is complete: every output of it acknowledged by Kafka. */
    void completed(long offset) {
        if (pending.remove(offset)) {
            changed = true;
        }
    }

    /** Delivered records not yet complete. */
    int inFlight() {
        return pending.size();
    }

    /**
     * The commit this partition calls for, if it differs from the last one Kafka acknowledged.
     *
     * @param topicId the request topic's ID, or null if unknown: then the commit carries no completed offsets
     */
    Optional<Commit> due(Uuid topicId) {
        if (next < 0) {
            return Optional.empty();
        }
        if (changed || !Objects.equals(topicId, proposalTopic)) {
            proposal = propose(topicId);
            proposalTopic = topicId;
            changed = false;
        }
        return proposal.equals(committed) ? Optional.empty() : Optional.of(proposal);
    }

    /**
     * Kafka acknowledged {@code commit}: it is the group's commit now, even below the one found at assignment (after a
     * reset the position, and so the commit, may go back).
     */
    void committed(Commit commit) {
        committed = commit;
        Long keep = epochStarts.floorKey(commit.offset() - 1);
        if (keep != null) {
            epochStarts.headMap(keep, false).clear();
        }
    }

    private Commit propose(Uuid topicId) {
        long offset = pending.isEmpty() ? next : pending.first();
        String metadata = topicId == null ? "" : metadata(topicId, offset);
        return new Commit(offset, epochBelow(offset), metadata);
    }

    /** Completed beyond {@code offset}: between the records not complete, then what the earlier owner completed. */
    private String metadata(Uuid topicId, long offset) {
        CompletedOffsets.Encoder encoder = CompletedOffsets.encoder(topicId, offset);
        long from = offset + 1; // offset itself is the first pending record, or next: never known complete
        for (long p : pending.tailSet(offset, false)) {
            if (p > from && !encoder.add(from, p - 1)) {
                return encoder.finish();
            }
            from = p + 1;
        }
        if (next > from && !encoder.add(from, next - 1)) {
            return encoder.finish();
        }
        earlier.forEachFrom(Math.max(next, offset + 1), encoder::add);
        return encoder.finish();
    }

    /** Leader epoch of the last record below {@code offset}: what lets the next owner detect a truncated log. */
    private Optional<Integer> epochBelow(long offset) {
        if (firstDelivered >= 0 && firstDelivered < offset) {
            int epoch = epochStarts.floorEntry(offset - 1).getValue();
            return epoch == NO_EPOCH ? Optional.empty() : Optional.of(epoch);
        }
        if (committed != null && committed.offset() == offset) {
            return committed.leaderEpoch();
        }
        return Optional.empty();
    }
}
