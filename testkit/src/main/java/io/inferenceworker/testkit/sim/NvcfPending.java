package io.inferenceworker.testkit.sim;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * NVCF results answered with 202, waiting to be polled. Bounded ({@value #CAPACITY} entries; beyond that an
 * arbitrary unclaimed result is dropped) so a client that never polls cannot exhaust memory. Thread-safe.
 */
final class NvcfPending {

    static final int CAPACITY = 10_000;

    private final Map<String, Entry> byRequestId = new ConcurrentHashMap<>();

    void put(String requestId, int pollsBeforeResult, byte[] result) {
        if (byRequestId.size() >= CAPACITY) {
            Iterator<String> any = byRequestId.keySet().iterator();
            if (any.hasNext()) {
                byRequestId.remove(any.next());
            }
        }
        byRequestId.put(requestId, new Entry(new AtomicInteger(pollsBeforeResult), result));
    }

    /** Empty for an unknown ID; a pending poll while polls remain; else the result, which is then forgotten. */
    Optional<Poll> poll(String requestId) {
        Entry entry = byRequestId.get(requestId);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.pollsLeft().getAndDecrement() > 0) {
            return Optional.of(new Poll(null));
        }
        return byRequestId.remove(requestId) == null ? Optional.empty() : Optional.of(new Poll(entry.result()));
    }

    void clear() {
        byRequestId.clear();
    }

    /** @param result the final reply, or {@code null} while still pending */
    record Poll(byte[] result) {
        boolean done() {
            return result != null;
        }
    }

    private record Entry(AtomicInteger pollsLeft, byte[] result) {
    }
}
