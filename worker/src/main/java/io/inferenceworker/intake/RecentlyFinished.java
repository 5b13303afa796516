package io.inferenceworker.intake;

import io.inferenceworker.intake.ShareLane.Key;
import io.inferenceworker.job.Disposition;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dispositions of the share-group jobs that finished on this worker lately, so that a record redelivered after its
 * acknowledgement was lost (a lock that lapsed, a broker restart) is acknowledged again instead of run again — a
 * second provider call and a second result. Bounded: the oldest are forgotten first; a record redelivered after that
 * runs again (at-least-once).
 *
 * <p>Not thread-safe: owned by the share intake's poll thread.
 */
final class RecentlyFinished extends LinkedHashMap<Key, Disposition> {
    private final int capacity;

    RecentlyFinished(int capacity) {
        super(capacity * 2, 0.75f, false);
        this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Disposition> eldest) {
        return size() > capacity;
    }
}
