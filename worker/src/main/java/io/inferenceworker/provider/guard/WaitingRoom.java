package io.inferenceworker.provider.guard;

import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.ProviderException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The jobs of one provider instance that are waiting: deferred by the instance's protections (circuit breaker open,
 * rate or concurrency limit beyond the inline wait: a {@link Guarded.Deferred}), or backing off before a retry after
 * a retryable provider failure ({@link AttemptLoop} enters those), and not let through to a call since. At
 * most {@link #capacity()} jobs may wait at once, {@code ceil(worker.provider-waiting-share × worker.in-flight-limit)}
 * (see {@link #of}), so one instance's backlog never holds more than its share of the worker's in-flight limit and
 * the other instances' jobs keep the rest. A job that would have to wait while the room is full is failed at once
 * instead ({@value Guarded#BACKLOG_FULL}, see {@link #refuse} and {@link #refuseRetry}), which dead-letters it
 * (replayable) and frees its in-flight slot.
 *
 * <p>A job takes a place with {@link #enter} when it is refused, keeps it through further refusals, and gives it up
 * when the protections let it through to the provider ({@link #leave}) — a breaker trial call only when the call
 * ends other than in a wait — or when it ends ({@link ProviderGuard#forget}). A call let through with the breaker
 * closed that then fails and finds the breaker open must enter again, and may then find the room full: it is then
 * failed like any job that would have to wait.
 *
 * <p>Places are keyed by job ID: two runs of the same job ID at once (a duplicate record) share one place, so the
 * count can be low by the number of such duplicates, never high.
 *
 * <p>Thread-safe and lock-free: a place is a compare-and-set on the count plus a set entry.
 */
public final class WaitingRoom {
    private final String instance;
    private final int capacity;
    private final String limitText;
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    private WaitingRoom(String instance, int capacity, String limitText) {
        if (capacity < 1) {
            throw new IllegalArgumentException("waiting room capacity must be >= 1, was " + capacity);
        }
        this.instance = instance;
        this.capacity = capacity;
        this.limitText = limitText;
    }

    /**
     * The room of {@code instance}: {@code ceil(share × inFlightLimit)} places, at least one.
     *
     * @param share         {@code worker.provider-waiting-share}, {@code 0 < share <= 1}
     * @param inFlightLimit {@code worker.in-flight-limit}, &ge; 1
     */
    public static WaitingRoom of(String instance, double share, int inFlightLimit) {
        return new WaitingRoom(instance, capacity(share, inFlightLimit),
                "worker.provider-waiting-share " + share + " of worker.in-flight-limit " + inFlightLimit);
    }

    /** A room that is never full, for a provider used outside a worker (tests, tools). */
    public static WaitingRoom unbounded(String instance) {
        return new WaitingRoom(instance, Integer.MAX_VALUE, "unbounded");
    }

    /**
     * {@code ceil(share × inFlightLimit)}, computed in decimal so that e.g. 0.3 × 10 is 3, not 4.
     *
     * @throws IllegalArgumentException when share is not in {@code (0, 1]} or the limit is below 1
     */
    static int capacity(double share, int inFlightLimit) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("worker.provider-waiting-share must be > 0 and <= 1, was " + share);
        }
        if (inFlightLimit < 1) {
            throw new IllegalArgumentException("worker.in-flight-limit must be >= 1, was " + inFlightLimit);
        }
        return Math.max(1, BigDecimal.valueOf(share).multiply(BigDecimal.valueOf(inFlightLimit))
                .setScale(0, RoundingMode.CEILING).intValueExact());
    }

    /**
     * Seats {@code jobId} unless it already waits here.
     *
     * @return true when the job waits here now; false when the room is full (the job does not wait)
     */
    boolean enter(String jobId) {
        if (waiting.contains(jobId)) {
            return true;
        }
        int n;
        do {
            n = count.get();
            if (n >= capacity) {
                return false;
            }
        } while (!count.compareAndSet(n, n + 1));
        if (!waiting.add(jobId)) {
            count.decrementAndGet(); // the same job ID entered meanwhile (a duplicate): share its place
            return true;
        }
        peak.accumulateAndGet(n + 1, Math::max);
        return true;
    }

    /** Gives up {@code jobId}'s place, if it has one. */
    void leave(String jobId) {
        if (waiting.remove(jobId)) {
            count.decrementAndGet();
        }
    }

    /** Whether {@code jobId} waits here. */
    boolean holds(String jobId) {
        return waiting.contains(jobId);
    }

    /** Whether a job that does not wait yet would be refused a place now. */
    boolean isFull() {
        return count.get() >= capacity;
    }

    /** Jobs waiting now. */
    public int waiting() {
        return count.get();
    }

    /** The most jobs that ever waited at once. */
    public int peak() {
        return peak.get();
    }

    /** The most jobs that may wait at once ({@link Integer#MAX_VALUE} when unbounded). */
    public int capacity() {
        return capacity;
    }

    /** The instance this room belongs to. */
    String instance() {
        return instance;
    }

    /**
     * The failure of a job that was {@code deferred} while this room was full. Its message names the instance, the
     * share and why the job had to wait.
     */
    Guarded.Failed<ChatReply> refuse(Guarded.Deferred<ChatReply> deferred) {
        String why = Guarded.CIRCUIT_OPEN.equals(deferred.code()) ? "its circuit breaker is open"
                : "it is rate-limited locally";
        ProviderException wait = deferred.failure();
        return new Guarded.Failed<>(backlogFull(wait, why, "waiting", "Wait refused: " + deferred.message(),
                deferred.providerFailure().orElse(null)), deferred.providerFailure());
    }

    /**
     * The failure of a job whose attempt failed retryably ({@code failure}) while this room was full: it would have
     * waited before its next attempt. Its message names the instance, the share and the failure; it keeps the
     * failure's HTTP status.
     */
    ProviderException.Terminal refuseRetry(ProviderException failure) {
        String why = "failing (" + failure.code() + failure.httpStatus().map(s -> ", HTTP " + s).orElse("") + ")";
        return backlogFull(failure, why, "waiting to retry", "Last failure: " + failure.getMessage(), failure);
    }

    private ProviderException.Terminal backlogFull(ProviderException failure, String why, String instead,
                                                   String detail, Throwable cause) {
        String message = "provider instance " + instance + " is " + why + " and already has " + capacity
                + " jobs waiting, its share of the in-flight limit (" + limitText + "): this job fails now instead of "
                + instead + ", so that other instances keep the rest; replay it from the dead-letter topic once the "
                + "provider is back. " + detail;
        return ProviderException.of(failure.context(), Guarded.BACKLOG_FULL, message)
                .withHttpStatus(failure.httpStatus().orElse(null))
                .withProviderRequestId(failure.providerRequestId().orElse(null)).withCause(cause).terminal();
    }
}
