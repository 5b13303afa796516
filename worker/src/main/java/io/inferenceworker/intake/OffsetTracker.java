package io.inferenceworker.intake;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.NavigableSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Completed offsets of one partition, and the offset that is safe to commit: one past the highest offset below which
 * every delivered record is complete.
 *
 * <p>Offsets completed beyond the first gap are remembered in the commit's metadata ({@link CompletedOffsets}), so
 * that after a restart or rebalance the next owner skips them instead of calling the provider again: only the records
 * actually in flight at the time of the commit are replayed.
 *
 * <p>Not thread-safe: owned by the poll thread.
 */
final class OffsetTracker {
    private final ArrayDeque<Long> pending = new ArrayDeque<>();
    private final Set<Long> completedPending = new HashSet<>();
    private final NavigableSet<Long> completedEarlier;
    private long committable = -1;
    private long committed = -1;

    /**
     * @param committedOffset the group's committed offset for the partition, or -1
     * @param completedEarlier offsets at or above it that an earlier owner completed (from the commit metadata)
     */
    OffsetTracker(long committedOffset, Set<Long> completedEarlier) {
        this.committed = committedOffset;
        this.completedEarlier = new TreeSet<>(completedEarlier);
    }

    /**
     * Records that {@code offset} was delivered to this worker.
     *
     * @return true when an earlier owner already completed it: it must not run again
     */
    boolean delivered(long offset) {
        pending.addLast(offset);
        if (completedEarlier.remove(offset)) {
            completedPending.add(offset);
            return true;
        }
        return false;
    }

    void completed(long offset) {
        completedPending.add(offset);
    }

    /** Delivered records not yet complete. */
    int inFlight() {
        return pending.size() - completedPending.size();
    }

    /**
     * Advances past the contiguous completed prefix.
     *
     * @return the offset to commit when it moved since the last {@link #markCommitted}
     */
    OptionalLong commitContiguous() {
        while (!pending.isEmpty() && completedPending.remove(pending.peekFirst())) {
            committable = pending.pollFirst() + 1;
        }
        return committable > committed ? OptionalLong.of(committable) : OptionalLong.empty();
    }

    /** True when there is something new for the commit metadata to say even if the offset did not move. */
    boolean hasCompletedBeyondGap() {
        return !completedPending.isEmpty();
    }

    void markCommitted(long offset) {
        committed = Math.max(committed, offset);
    }

    /** The offset of the last {@link #commitContiguous()}, or the committed one if nothing advanced. */
    long commitOffset() {
        return Math.max(committable, committed);
    }

    /** Offsets above the commit offset known to be complete: this worker's and an earlier owner's not yet seen. */
    NavigableSet<Long> completedBeyond() {
        NavigableSet<Long> beyond = new TreeSet<>(completedPending);
        beyond.addAll(completedEarlier);
        return beyond.tailSet(commitOffset(), true);
    }
}
