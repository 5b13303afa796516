package io.inferenceworker.provider.guard;

import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.ProviderEvents;
import io.inferenceworker.schemas.Usage;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request and token limits of one instance, as <em>reservations</em> on Resilience4j rate limiters
 * ({@link PacedLimiter}, public API only): each call
 * reserves its request permit and its estimated tokens at once (permits may be reserved up to the horizon ahead),
 * and is told how long until they are due. Reserving rather than polling queues callers fairly, in arrival order,
 * and wakes each exactly when its turn comes.
 *
 * <p>Requests are paced: one permit per period of {@code 60 s / requests-per-minute} (the limiter's fixed periods, so
 * two requests at either side of a period boundary can be close together, but there is never a burst of more than
 * one per period). Tokens: see {@link TokenBudget}.
 *
 * <p>A caller that will not wait inline (its permits are due later than its attempt can afford) leaves its reservation
 * here with {@link #hold(ChatCall, Grant)}, keyed by job ID; when the job tries again, {@link #admit(ChatCall)} hands
 * the held reservation back instead of reserving anew, so the job keeps its place. A held reservation is dropped
 * once it is a horizon past due (the job gave up): its permits are lost, as are the request permit of a call whose
 * tokens could not be reserved and anything reserved for a job that then ends otherwise.
 *
 * <p>Times are {@link System#nanoTime()}, the limiters' own time base. Thread-safe.
 */
final class RateGate {
    /** How often at most held reservations are swept for expiry. */
    private static final long SWEEP_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

    /** What {@link #admit} gives a call: its permits, or a deferral when they would be due beyond the horizon. */
    sealed interface Reservation permits Grant, Beyond {
    }

    /**
     * Permits reserved for one call.
     *
     * @param dueNanos when they are due ({@code System.nanoTime()})
     * @param limiter  the limiter that decided the wait: {@code requests} or {@code tokens}
     * @param tokens   tokens charged (0 without a token limit)
     */
    record Grant(long dueNanos, String limiter, long tokens) implements Reservation {
    }

    /** Nothing reserved: the permits would be due beyond the horizon; come back as {@code deferred} says. */
    record Beyond(Guarded.Deferred<ChatReply> deferred) implements Reservation {
    }

    private record Held(Grant grant, long expiresNanos) {
    }

    private final String name;
    private final PacedLimiter requests;
    private final TokenBudget tokens;
    private final long horizonNanos;
    private final ProviderEvents events;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong(System.nanoTime());

    RateGate(String name, Protections.Rates rates, Duration horizon, ProviderEvents events) {
        this.name = name;
        this.horizonNanos = horizon.toNanos();
        this.events = events;
        this.requests = rates.requestsPerMinute() == 0 ? null : new PacedLimiter(name + "-requests", 1,
                Duration.ofMinutes(1).dividedBy(rates.requestsPerMinute()), horizon);
        this.tokens = rates.tokensPerMinute() == 0 ? null : new TokenBudget(name, rates, horizon);
    }

    /**
     * The call's reservation: the one held for its job, else a new one, or {@link Beyond} when the permits would be
     * due beyond the horizon (nothing is then reserved for the call).
     */
    Reservation admit(ChatCall call) {
        Held mine = held.remove(call.jobId());
        if (mine != null) {
            return mine.grant();
        }
        long now = System.nanoTime();
        long requestWait = 0;
        if (requests != null) {
            requestWait = requests.reserve(1);
            if (requestWait < 0) {
                return beyondHorizon(call, "requests", requests.nanosToWait());
            }
            events.onLimiterWait(name, "requests", Duration.ofNanos(requestWait));
        }
        long charged = 0;
        long tokenWait = 0;
        if (tokens != null) {
            charged = tokens.estimate(call.request());
            tokenWait = tokens.reserve(charged);
            if (tokenWait < 0) {
                return beyondHorizon(call, "tokens", tokens.nanosToWait());
            }
            events.onLimiterWait(name, "tokens", Duration.ofNanos(tokenWait));
        }
        return new Grant(now + Math.max(requestWait, tokenWait), requestWait >= tokenWait ? "requests" : "tokens",
                charged);
    }

    /** Keeps {@code grant} for the job's next try. */
    void hold(ChatCall call, Grant grant) {
        if (requests == null && tokens == null) {
            return;
        }
        long now = System.nanoTime();
        held.put(call.jobId(), new Held(grant, Math.max(grant.dueNanos(), now) + horizonNanos));
        long last = lastSweep.get();
        if (now - last > SWEEP_INTERVAL_NANOS && lastSweep.compareAndSet(last, now)) {
            held.values().removeIf(h -> now - h.expiresNanos() > 0);
        }
    }

    /**
     * A lower bound of how long a new reservation would wait now (0 without limits), without reserving anything:
     * lets a caller that may not wait learn so before it spends permits.
     */
    long nanosToWait() {
        long wait = requests == null ? 0 : requests.nanosToWait();
        return tokens == null ? wait : Math.max(wait, tokens.nanosToWait());
    }

    /** Whether {@code call}'s job has a reservation held for it. */
    boolean holds(ChatCall call) {
        return held.containsKey(call.jobId());
    }

    /** Drops the reservation held for a job that has ended (its permits are lost, see the class comment). */
    void forget(String jobId) {
        held.remove(jobId);
    }

    /** Charges reported usage above the call's estimate; see {@link TokenBudget}. */
    void reconcile(Grant grant, Usage usage) {
        if (tokens != null) {
            tokens.reconcile(grant.tokens(), usage);
        }
    }

    private Beyond beyondHorizon(ChatCall call, String limiter, long nanosToWait) {
        // Come back when a reservation would fit within the horizon again.
        Duration retryAfter = Duration.ofNanos(Math.max(nanosToWait - horizonNanos, 0)).plusMillis(10);
        events.onDeferred(name, limiter);
        return new Beyond(ProviderGuard.refusal(call, name, Guarded.RATE_LIMITED_LOCALLY, "local " + limiter
                + " limit: more than " + Duration.ofNanos(horizonNanos) + " of calls are already queued", retryAfter));
    }
}
