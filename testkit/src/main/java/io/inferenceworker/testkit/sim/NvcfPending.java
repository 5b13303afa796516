package io.inferenceworker.testkit.sim;

import java.time.Duration;
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

    /** @param pollLatency how long each status poll of this request waits before it answers */
    void put(String requestId, int pollsBeforeResult, byte[] result, Duration pollLatency) {
        if (byRequestId.size() >= CAPACITY) {
            Iterator<String> any = byRequestId.keySet().iterator();
            if (any.hasNext()) {
                byRequestId.remove(any.next());
            }
        }
        byRequestId.put(requestId, new Entry(new AtomicInteger(pollsBeforeResult), result, pollLatency));
    }

    /** Empty for an unknown ID; a pending poll while polls remain; else the result, which is then forgotten. */
    Optional<Poll> poll(String requestId) {
        Entry entry = byRequestId.get(requestId);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.pollsLeft().getAndDecrement() > 0) {
            return Optional.of(new Poll(null, entry.pollLatency()));
        }
        return byRequestId.remove(requestId) == null ? Optional.empty()
                : Optional.of(new Poll(entry.result(), entry.pollLatency()));
    }

    void clear() {
        byRequestId.clear();
    }

    /**
     * @param result  the final reply, or {@code null} while still pending
     * @param latency how long to wait before answering this poll
     */
    record Poll(byte[] result, Duration latency) {
        boolean done() {
            return result != null;
        }
    }

    private record Entry(AtomicInteger pollsLeft, byte[] result, Duration pollLatency) {
    }
}
