package io.inferenceworker.provider.guard;

import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.CompletionRater;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.registry.ProviderRegistry;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.inferenceworker.provider.ProviderEvents;
import io.inferenceworker.schemas.CompletionRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * A provider instance's protections around its {@link ChatProvider}, applied once per instance by
 * {@link ProviderRegistry}: a circuit breaker, request and token rate limits, and a concurrency limit, all
 * Resilience4j building blocks, each per instance so one provider's trouble never slows another's jobs.
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
 * longer it is <em>refused</em> with a {@link ProviderException.Retryable} whose cause is a {@link LocalWait}, code
 * {@value LocalWait#RATE_LIMITED_LOCALLY} or {@value LocalWait#CIRCUIT_OPEN}, and whose
 * {@link ProviderException.Retryable#retryAfter() retryAfter} says when to come back: until the reserved rate permits
 * are due (they stay reserved for the job), at once for a concurrency permit (the wait already happened), or until
 * the breaker lets trial calls through. The job's retry loop sleeps that long within its retry window, on the job's
 * own virtual thread, and does not count it as an attempt. A provider failure that opens the breaker (or finds it
 * open) is turned into such a wait as well, so an outage shorter than the retry window costs no job its attempts.
 *
 * <p><b>Waiting room.</b> Every job sent back to wait takes a place in the instance's {@link WaitingRoom} and keeps
 * it until the protections let it through to a call (or the job ends: {@link #forget}); a breaker trial call
 * (half-open) keeps it until the call ends, so that a trial that fails and re-opens the breaker waits again in its
 * own place. When the room is full (the instance's waiting jobs already hold their share of the worker's in-flight
 * limit) a job that would have to wait does not: it fails at once with a {@link ProviderException.Terminal} of code
 * {@value LocalWait#BACKLOG_FULL}, so one instance that is down or limited never fills the worker's in-flight limit
 * with waiting jobs. A job that would wait for a rate limit is refused before it reserves any permit when the room
 * is already full, so failed jobs do not push the permits of the waiting ones further out. (Jobs waiting to retry
 * after a provider failure take places too; the retry loop decides those, see {@code job.AttemptRunner}.)
 *
 * <p>The wrapped provider is given a deadline {@link #DEADLINE_MARGIN} (at most a tenth of the time left) earlier than
 * the attempt's, so that a hung call ends with the transport's own {@code timeout}, which the breaker records and can
 * turn into a wait, rather than with the retry loop's interrupt, which always counts as an attempt. After a
 * successful call the token estimate is reconciled with the reported usage ({@link TokenBudget}).
 * {@link #validate} and {@link #name} delegate untouched.
 *
 * <p>Metrics through {@link ProviderEvents}: every permit wait ({@code onLimiterWait}: concurrency, requests, tokens),
 * every refusal ({@code onDeferred}, also those that then find the waiting room full), breaker state
 * ({@code onCircuitState}) and the waiting room ({@code onWaitingRoom}). Thread-safe.
 */
public final class GuardedProvider implements ChatProvider {
    public static final Duration DEADLINE_MARGIN = Duration.ofMillis(100);

    private final ChatProvider delegate;
    private final Protections protections;
    private final CircuitGate breaker;
    private final RateGate rates;
    private final Bulkhead concurrency;
    private final WaitingRoom room;
    private final ProviderEvents events;
    private final Clock clock;

    /** As {@link #GuardedProvider(ChatProvider, Protections, WaitingRoom, Clock, ProviderEvents)}, never full. */
    public GuardedProvider(ChatProvider delegate, Protections protections, Clock clock, ProviderEvents events) {
        this(delegate, protections, WaitingRoom.unbounded(delegate.name()), clock, events);
    }

    /**
     * @param room the instance's waiting room, see the class comment
     */
    public GuardedProvider(ChatProvider delegate, Protections protections, WaitingRoom room, Clock clock,
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

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public void validate(CompletionRequest request) {
        delegate.validate(request);
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
     * The job {@code jobId} has ended (however): frees its place in the waiting room and any rate permits held for
     * it. Idempotent; the retry loop calls it once per job.
     */
    public void forget(String jobId) {
        room.leave(jobId);
        rates.forget(jobId);
    }

    /**
     * The wrapped provider, for its optional capabilities such as {@link CompletionRater} (whose calls do not pass
     * these protections).
     */
    public ChatProvider delegate() {
        return delegate;
    }

    /**
     * @throws ProviderException.Retryable with a {@link LocalWait} when the job must wait (it then waits in the
     *                                      room)
     * @throws ProviderException.Terminal  {@value LocalWait#BACKLOG_FULL} when it would have to wait but the room is
     *                                      full
     */
    @Override
    public ChatReply complete(ChatCall call) {
        try {
            ChatReply reply = guarded(call);
            room.leave(call.jobId());
            return reply;
        } catch (ProviderException.Retryable e) {
            if (LocalWait.of(e).isEmpty()) {
                room.leave(call.jobId());
            } else if (!room.enter(call.jobId())) {
                throw LocalWait.backlogFull(e, room);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            room.leave(call.jobId());
            throw e;
        }
    }

    private ChatReply guarded(ChatCall call) {
        breaker.enter(call);
        RateGate.Grant grant;
        try {
            grant = admit(call);
        } catch (RuntimeException refused) {
            breaker.release();
            throw refused;
        }
        if (!breaker.isTrial()) {
            // Let through: no longer waiting. A trial call keeps its place until it ends (see complete), so a job
            // that waited out an outage is not failed for a full room when its trial finds the provider still down.
            room.leave(call.jobId());
        }
        long started = System.nanoTime();
        try {
            ChatReply reply = delegate.complete(withMargin(call));
            breaker.onSuccess(System.nanoTime() - started);
            rates.reconcile(grant, reply.usage());
            return reply;
        } catch (ProviderException e) {
            throw breaker.onFailure(call, e, System.nanoTime() - started);
        } catch (RuntimeException | Error e) {
            breaker.release();
            throw e;
        } finally {
            concurrency.onComplete();
        }
    }

    /** Waits for the rate and concurrency permits, or refuses; on return the caller holds a concurrency permit. */
    private RateGate.Grant admit(ChatCall call) {
        if (room.isFull() && !room.holds(call.jobId()) && !rates.holds(call)) {
            long due = rates.nanosToWait();
            if (due > protections.inlineWait().toNanos()) {
                // It would have to wait, and cannot: refuse before reserving permits it would never use.
                throw LocalWait.refusal(call, name(), LocalWait.RATE_LIMITED_LOCALLY, "local rate limit: next "
                        + "permit due in " + Duration.ofNanos(due).toMillis() + " ms", Duration.ofNanos(due));
            }
        }
        RateGate.Grant grant = rates.admit(call);
        long wait = grant.dueNanos() - System.nanoTime();
        if (wait > protections.inlineWait().toNanos()) {
            rates.hold(call, grant);
            events.onDeferred(name(), grant.limiter());
            throw LocalWait.refusal(call, name(), LocalWait.RATE_LIMITED_LOCALLY, "local " + grant.limiter()
                    + " limit: permits reserved, due in " + Duration.ofNanos(wait).toMillis() + " ms",
                    Duration.ofNanos(wait));
        }
        if (wait > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw interrupted(call, e);
            }
        }
        long waitStarted = System.nanoTime();
        boolean admitted = concurrency.tryAcquirePermission();
        events.onLimiterWait(name(), "concurrency", Duration.ofNanos(System.nanoTime() - waitStarted));
        if (!admitted) {
            if (Thread.currentThread().isInterrupted()) {
                throw interrupted(call, null);
            }
            // The rate permits are paid for: keep them for the job's next try.
            rates.hold(call, grant);
            events.onDeferred(name(), "concurrency");
            throw LocalWait.refusal(call, name(), LocalWait.RATE_LIMITED_LOCALLY, "local concurrency limit: all "
                    + protections.maxConcurrency() + " permits busy for " + protections.inlineWait().toMillis()
                    + " ms", Duration.ZERO);
        }
        return grant;
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
