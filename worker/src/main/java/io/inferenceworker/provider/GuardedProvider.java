package io.inferenceworker.provider;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.inferenceworker.job.JobEvents;
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
 * <p>The wrapped provider is given a deadline {@link #DEADLINE_MARGIN} (at most a tenth of the time left) earlier than
 * the attempt's, so that a hung call ends with the transport's own {@code timeout}, which the breaker records and can
 * turn into a wait, rather than with the retry loop's interrupt, which always counts as an attempt. After a
 * successful call the token estimate is reconciled with the reported usage ({@link TokenBudget}).
 * {@link #validate} and {@link #name} delegate untouched.
 *
 * <p>Metrics through {@link JobEvents}: every permit wait ({@code onLimiterWait}: concurrency, requests, tokens),
 * every refusal ({@code onDeferred}) and breaker state ({@code onCircuitState}). Thread-safe.
 */
public final class GuardedProvider implements ChatProvider {
    public static final Duration DEADLINE_MARGIN = Duration.ofMillis(100);

    private final ChatProvider delegate;
    private final Protections protections;
    private final CircuitGate breaker;
    private final RateGate rates;
    private final Bulkhead concurrency;
    private final JobEvents events;
    private final Clock clock;

    public GuardedProvider(ChatProvider delegate, Protections protections, Clock clock, JobEvents events) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.protections = Objects.requireNonNull(protections, "protections");
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

    /**
     * The wrapped provider, for its optional capabilities such as {@link CompletionRater} (whose calls do not pass
     * these protections).
     */
    public ChatProvider delegate() {
        return delegate;
    }

    @Override
    public ChatReply complete(ChatCall call) {
        breaker.enter(call);
        RateGate.Grant grant;
        try {
            grant = admit(call);
        } catch (RuntimeException refused) {
            breaker.release();
            throw refused;
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
        return new ChatCall(call.jobId(), call.request(), call.attempt(), call.deadline().minus(margin),
                call.traceparent(), call.sink());
    }

    private ProviderException.Retryable interrupted(ChatCall call, Throwable cause) {
        return new ProviderException.Retryable(call.context(name()), "interrupted",
                "interrupted while waiting for a local rate or concurrency permit", null, null, null, cause);
    }
}
