package io.inferenceworker.provider.guard;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.ProviderEvents;
import io.inferenceworker.provider.ProviderException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider instance's protections around its {@link ChatProvider}, built once per instance by the registry: a
 * circuit breaker, request and token rate limits, and a concurrency limit, all Resilience4j building blocks (public
 * API), each per instance so one provider's trouble never slows another's jobs. {@link #call} makes one try and
 * returns what it came to as a {@link Guarded} value; it throws only what is not a provider failure (a bug).
 *
 * <p>A call passes, in order:
 * <ol>
 *   <li>the circuit breaker ({@link CircuitGate}): when it is open the call is refused at once;</li>
 *   <li>the rate limits ({@link RateGate}, {@link TokenBudget}): the call reserves its request permit and its
 *       estimated tokens, and learns when they are due;</li>
 *   <li>the concurrency limit, a fair semaphore {@link Bulkhead} of {@code max-concurrency} permits.</li>
 * </ol>
 * A call waits inside its attempt only briefly, at most {@link Protections#inlineWait()} for its rate permits and as
 * long again for a concurrency permit, because that wait eats into the attempt's timeout. When it would have to wait
 * longer it is {@link Guarded.Deferred deferred}, code {@value Guarded#RATE_LIMITED_LOCALLY} or
 * {@value Guarded#CIRCUIT_OPEN}, with a {@link Guarded.Deferred#retryAfter() retryAfter} saying when to come back:
 * until the reserved rate permits are due (they stay reserved for the job), at once for a concurrency permit (the
 * wait already happened), or until the breaker lets trial calls through. {@link AttemptLoop} sleeps that long within
 * the job's retry window and does not count it as an attempt. A provider failure that opens the breaker (or finds it
 * open) is deferred as well, so an outage shorter than the retry window costs no job its attempts.
 *
 * <p><b>Waiting room.</b> Every job deferred takes a place in the instance's {@link WaitingRoom} and keeps it until
 * the protections let it through to a call (or the job ends: {@link #forget}); a breaker trial call (half-open) keeps
 * it until the call ends, so that a trial that fails and re-opens the breaker waits again in its own place. When the
 * room is full (the instance's waiting jobs already hold their share of the worker's in-flight limit) a job that
 * would have to wait does not: the try {@link Guarded.Failed fails} with the terminal {@value Guarded#BACKLOG_FULL},
 * so one instance that is down or limited never fills the worker's in-flight limit with waiting jobs. A job that
 * would wait for a rate limit is refused before it reserves any permit when the room is already full, so failed jobs
 * do not push the permits of the waiting ones further out. Jobs waiting to retry after a provider failure take places
 * too ({@link #holdForRetry}, asked by {@link AttemptLoop}).
 *
 * <p>The wrapped provider is given a deadline {@link #DEADLINE_MARGIN} (at most a tenth of the time left) earlier than
 * the attempt's, so that a hung call ends with the transport's own {@code timeout}, which the breaker records and can
 * turn into a deferral, rather than with the attempt timeout's interrupt, which always counts as an attempt. After a
 * successful call the token estimate is reconciled with the reported usage ({@link TokenBudget}).
 *
 * <p>Metrics through {@link ProviderEvents}: every permit wait ({@code onLimiterWait}: concurrency, requests, tokens),
 * every deferral ({@code onDeferred}, also those that then find the waiting room full), breaker state
 * ({@code onCircuitState}) and the waiting room ({@code onWaitingRoom}). Thread-safe.
 */
public final class ProviderGuard {
    static final Duration DEADLINE_MARGIN = Duration.ofMillis(100);

    private final ChatProvider delegate;
    private final Protections protections;
    private final CircuitGate breaker;
    private final RateGate rates;
    private final Bulkhead concurrency;
    private final WaitingRoom room;
    private final ProviderEvents events;
    private final Clock clock;

    /** What {@link #admit} gives a call: its permits (it holds a concurrency permit), or the try's outcome. */
    private sealed interface Admission {
        record Admitted(RateGate.Grant grant) implements Admission {
        }

        record Refused(Guarded<ChatReply> outcome) implements Admission {
        }
    }

    /** As {@link #ProviderGuard(ChatProvider, Protections, WaitingRoom, Clock, ProviderEvents)}, never full. */
    public ProviderGuard(ChatProvider delegate, Protections protections, Clock clock, ProviderEvents events) {
        this(delegate, protections, WaitingRoom.unbounded(delegate.name()), clock, events);
    }

    /**
     * @param room the instance's waiting room, see the class comment
     */
    public ProviderGuard(ChatProvider delegate, Protections protections, WaitingRoom room, Clock clock,
                         ProviderEvents events) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.protections = Objects.requireNonNull(protections, "protections");
        this.room = Objects.requireNonNull(room, "room");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        String name = delegate.name();
        this.breaker = new CircuitGate(name, protections.breaker(), clock, events);
        this.rates = new RateGate(name, protections.rates(), protections.horizon(), events);
        this.concurrency = Bulkhead.of(name, BulkheadConfig.custom()
                .maxConcurrentCalls(protections.maxConcurrency())
                .maxWaitDuration(protections.inlineWait())
                .fairCallHandlingStrategyEnabled(true)
                .writableStackTraceEnabled(false)
                .build());
        events.onWaitingRoom(name, room.capacity(), room::waiting);
    }

    /** The instance's name. */
    public String name() {
        return delegate.name();
    }

    /** The protections this instance enforces. */
    public Protections protections() {
        return protections;
    }

    /** The jobs of this instance that wait. */
    public WaitingRoom waitingRoom() {
        return room;
    }

    /**
     * Makes one try of {@code call} through the protections; see the class comment.
     *
     * @return answered; failed (the provider's failure, or {@value Guarded#BACKLOG_FULL} when the job would have to
     *         wait but the room is full); or deferred (the job now waits in the room)
     */
    public Guarded<ChatReply> call(ChatCall call) {
        Guarded<ChatReply> outcome;
        try {
            outcome = pass(call);
        } catch (RuntimeException | Error e) {
            room.leave(call.jobId());
            throw e;
        }
        if (outcome instanceof Guarded.Deferred<ChatReply> deferred) {
            return room.enter(call.jobId()) ? deferred : room.refuse(deferred);
        }
        room.leave(call.jobId());
        return outcome;
    }

    /**
     * The job {@code jobId} has ended (however): frees its place in the waiting room and any rate permits held for
     * it. Idempotent; {@link AttemptLoop} calls it once per job.
     */
    public void forget(String jobId) {
        room.leave(jobId);
        rates.forget(jobId);
    }

    /**
     * Seats a job in the waiting room to back off before its next attempt after {@code failure}.
     *
     * @return empty when it may wait; else the terminal {@value Guarded#BACKLOG_FULL} it fails with instead
     */
    Optional<ProviderException.Terminal> holdForRetry(String jobId, ProviderException failure) {
        return room.enter(jobId) ? Optional.empty() : Optional.of(room.refuseRetry(failure));
    }

    /** A deferral before any call: come back after {@code retryAfter}. */
    static Guarded.Deferred<ChatReply> refusal(ChatCall call, String provider, String code, String message,
                                               Duration retryAfter) {
        return new Guarded.Deferred<>(code, message, retryAfter, call.context(provider), Optional.empty());
    }

    private Guarded<ChatReply> pass(ChatCall call) {
        Optional<Guarded.Deferred<ChatReply>> open = breaker.enter(call);
        if (open.isPresent()) {
            return open.get();
        }
        Admission admission;
        try {
            admission = admit(call);
        } catch (RuntimeException | Error e) {
            breaker.release();
            throw e;
        }
        return switch (admission) {
            case Admission.Refused refused -> {
                breaker.release();
                yield refused.outcome();
            }
            case Admission.Admitted admitted -> callProvider(call, admitted.grant());
        };
    }

    private Guarded<ChatReply> callProvider(ChatCall call, RateGate.Grant grant) {
        if (!breaker.isTrial()) {
            // Let through: no longer waiting. A trial call keeps its place until it ends (see call), so a job
            // that waited out an outage is not failed for a full room when its trial finds the provider still down.
            room.leave(call.jobId());
        }
        long started = System.nanoTime();
        try {
            ChatReply reply = delegate.complete(withMargin(call));
            breaker.onSuccess(System.nanoTime() - started);
            rates.reconcile(grant, reply.usage());
            return new Guarded.Answered<>(reply);
        } catch (ProviderException e) {
            return breaker.onFailure(call, e, System.nanoTime() - started);
        } catch (RuntimeException | Error e) {
            breaker.release();
            throw e;
        } finally {
            concurrency.onComplete();
        }
    }

    /** Waits for the rate and concurrency permits, or says why not; when admitted the caller holds a permit. */
    private Admission admit(ChatCall call) {
        if (room.isFull() && !room.holds(call.jobId()) && !rates.holds(call)) {
            long due = rates.nanosToWait();
            if (due > protections.inlineWait().toNanos()) {
                // It would have to wait, and cannot: refuse before reserving permits it would never use.
                return new Admission.Refused(refusal(call, name(), Guarded.RATE_LIMITED_LOCALLY, "local rate limit: "
                        + "next permit due in " + Duration.ofNanos(due).toMillis() + " ms", Duration.ofNanos(due)));
            }
        }
        RateGate.Grant grant;
        switch (rates.admit(call)) {
            case RateGate.Beyond beyond -> {
                return new Admission.Refused(beyond.deferred());
            }
            case RateGate.Grant g -> grant = g;
        }
        long wait = grant.dueNanos() - System.nanoTime();
        if (wait > protections.inlineWait().toNanos()) {
            rates.hold(call, grant);
            events.onDeferred(name(), grant.limiter());
            return new Admission.Refused(refusal(call, name(), Guarded.RATE_LIMITED_LOCALLY, "local "
                    + grant.limiter() + " limit: permits reserved, due in " + Duration.ofNanos(wait).toMillis()
                    + " ms", Duration.ofNanos(wait)));
        }
        if (wait > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Admission.Refused(Guarded.failed(interrupted(call, e)));
            }
        }
        long waitStarted = System.nanoTime();
        boolean admitted = concurrency.tryAcquirePermission();
        events.onLimiterWait(name(), "concurrency", Duration.ofNanos(System.nanoTime() - waitStarted));
        if (!admitted) {
            if (Thread.currentThread().isInterrupted()) {
                return new Admission.Refused(Guarded.failed(interrupted(call, null)));
            }
            // The rate permits are paid for: keep them for the job's next try.
            rates.hold(call, grant);
            events.onDeferred(name(), "concurrency");
            return new Admission.Refused(refusal(call, name(), Guarded.RATE_LIMITED_LOCALLY, "local concurrency "
                    + "limit: all " + protections.maxConcurrency() + " permits busy for "
                    + protections.inlineWait().toMillis() + " ms", Duration.ZERO));
        }
        return new Admission.Admitted(grant);
    }

    private ChatCall withMargin(ChatCall call) {
        Duration left = Duration.between(clock.instant(), call.deadline());
        Duration tenth = left.dividedBy(10);
        Duration margin = tenth.compareTo(DEADLINE_MARGIN) < 0 ? tenth : DEADLINE_MARGIN;
        if (margin.isNegative() || margin.isZero()) {
            return call;
        }
        return call.withDeadline(call.deadline().minus(margin));
    }

    private ProviderException.Retryable interrupted(ChatCall call, Throwable cause) {
        return ProviderException.of(call.context(name()), "interrupted",
                "interrupted while waiting for a local rate or concurrency permit").withCause(cause).retryable();
    }
}
