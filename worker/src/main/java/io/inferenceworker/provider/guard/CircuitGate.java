package io.inferenceworker.provider.guard;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.ProviderEvents;
import io.inferenceworker.provider.ProviderException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker of one instance: a count-based Resilience4j {@link CircuitBreaker} (public API), whose verdicts
 * come from the failures themselves:
 * <ul>
 *   <li>failures are recorded when {@link ProviderException#outage()} says so (the dialect's status table decides;
 *       by default retryable failures without an HTTP status, 5xx, 408 and malformed 2xx answers), except that a call
 *       interrupted is an outage only at its attempt deadline (the attempt timeout stopped it), not before it (a
 *       shutdown): that is the guard's own knowledge, not the provider's;</li>
 *   <li>successes: answers, and terminal failures (a 4xx means the provider is up and judged the request);</li>
 *   <li>not recorded: other retryable failures (409, 425, 429: the provider is up but busy), and anything that is not
 *       a {@link ProviderException}.</li>
 * </ul>
 * Refusals ({@link #enter}) and failures that find the breaker open, or half-open with trials pending
 * ({@link #onFailure}), become a {@link Guarded.Deferred} {@value Guarded#CIRCUIT_OPEN} asking the job to come back
 * when trial calls are next allowed: the open duration's remainder, or {@link #HALF_OPEN_POLL} (at most the open
 * duration) while trial calls are under way.
 *
 * <p><b>Time.</b> The open duration runs on the instance's {@link Clock}. Resilience4j's public API cannot do that:
 * {@code CircuitBreaker.of} builds its state machine on {@code Clock.systemUTC()}, and its open state compares that
 * clock with the wait duration ({@code currentTimestampFunction} only times calls). So the breaker is configured to
 * stay open {@link #NEVER} by itself, and this gate moves it to half-open
 * ({@link CircuitBreaker#transitionToHalfOpenState()}) when the instance's clock says the open duration has passed;
 * call durations use the same clock.
 *
 * <p>Thread-safe.
 */
final class CircuitGate {
    static final Duration HALF_OPEN_POLL = Duration.ofSeconds(1);
    /** A call interrupted this close to its deadline was stopped by the attempt timeout: a timeout, not a shutdown. */
    static final Duration DEADLINE_TOLERANCE = Duration.ofMillis(250);
    /** How long Resilience4j's own clock would keep the breaker open: longer than any process lives. */
    static final Duration NEVER = Duration.ofDays(3650);
    private static final Duration MIN_WAIT = Duration.ofMillis(10);
    private static final Logger LOG = LoggerFactory.getLogger(CircuitGate.class);

    private final String name;
    private final CircuitBreaker breaker;
    private final Clock clock;
    private final Duration openDuration;
    private final ProviderEvents events;
    /**
     * When the breaker last opened, on {@link #clock}; null while it is not known to be open (set by the transition
     * event, which runs just after the state changes, and cleared before this gate leaves the open state).
     */
    private final AtomicReference<Instant> openedAt = new AtomicReference<>();

    CircuitGate(String name, Protections.Breaker config, Clock clock, ProviderEvents events) {
        this.name = name;
        this.clock = clock;
        this.openDuration = config.openDuration();
        this.events = events;
        this.breaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .slidingWindow(config.slidingWindowSize(), config.minimumCalls(),
                        CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(config.failureRateThreshold())
                .waitDurationInOpenState(NEVER)
                .permittedNumberOfCallsInHalfOpenState(config.halfOpenCalls())
                .currentTimestampFunction(ignored -> clock.millis(), TimeUnit.MILLISECONDS)
                .writableStackTraceEnabled(false)
                .build());
        if (!config.enabled()) {
            breaker.transitionToDisabledState();
        }
        breaker.getEventPublisher().onStateTransition(e -> {
            CircuitBreaker.State to = e.getStateTransition().getToState();
            if (to == CircuitBreaker.State.OPEN) {
                openedAt.set(clock.instant());
            }
            LOG.warn("provider instance {}: circuit breaker {} -> {}", name,
                    stateName(e.getStateTransition().getFromState()), stateName(to));
            events.onCircuitState(name, stateName(to));
        });
        events.onCircuitState(name, stateName(breaker.getState()));
    }

    /**
     * Takes a permission to call (release it with {@link #release()} or a verdict), or says when to come back.
     *
     * @return empty when the call may go ahead; else the deferral {@value Guarded#CIRCUIT_OPEN}
     */
    Optional<Guarded.Deferred<ChatReply>> enter(ChatCall call) {
        halfOpenWhenDue();
        if (breaker.tryAcquirePermission()) {
            return Optional.empty();
        }
        Duration wait = untilTrial();
        events.onDeferred(name, Guarded.CIRCUIT_OPEN);
        return Optional.of(ProviderGuard.refusal(call, name, Guarded.CIRCUIT_OPEN, "circuit breaker is "
                + stateName(breaker.getState()) + " after provider failures; next trial in " + wait.toMillis()
                + " ms", wait));
    }

    /** Whether a permission taken now is one of the half-open state's trial calls. */
    boolean isTrial() {
        return breaker.getState() == CircuitBreaker.State.HALF_OPEN;
    }

    /** Gives the permission back without a verdict (the call was not made, or says nothing about the provider). */
    void release() {
        breaker.releasePermission();
    }

    void onSuccess(long nanos) {
        breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Records {@code failure} and says what the try came to: the failure itself, or a {@value Guarded#CIRCUIT_OPEN}
     * deferral in its place when the breaker is now open (or half-open).
     */
    Guarded<ChatReply> onFailure(ChatCall call, ProviderException failure, long nanos) {
        if (!failure.isRetryable()) {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
            return Guarded.failed(failure);
        }
        if (!isOutage(call, failure)) {
            breaker.releasePermission();
            return Guarded.failed(failure);
        }
        breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
        CircuitBreaker.State now = breaker.getState();
        if (now == CircuitBreaker.State.CLOSED || now == CircuitBreaker.State.DISABLED
                || now == CircuitBreaker.State.METRICS_ONLY) {
            return Guarded.failed(failure);
        }
        events.onDeferred(name, Guarded.CIRCUIT_OPEN);
        Duration wait = untilTrial();
        String message = "provider failed (" + failure.code() + failure.httpStatus().map(s -> ", HTTP " + s).orElse("")
                + ") and its circuit breaker is open; waiting " + wait.toMillis() + " ms before trying again";
        return new Guarded.Deferred<>(Guarded.CIRCUIT_OPEN, message, wait, failure.context(), Optional.of(failure));
    }

    private boolean isOutage(ChatCall call, ProviderException failure) {
        if ("interrupted".equals(failure.code())) {
            return !clock.instant().plus(DEADLINE_TOLERANCE).isBefore(call.deadline());
        }
        return failure.outage();
    }

    /** Moves the breaker from open to half-open once the open duration has passed on the instance's clock. */
    private void halfOpenWhenDue() {
        Instant opened = openedAt.get();
        if (opened != null && breaker.getState() == CircuitBreaker.State.OPEN
                && !clock.instant().isBefore(opened.plus(openDuration)) && openedAt.compareAndSet(opened, null)) {
            // Only the thread that cleared openedAt gets here, once per opening; nothing else leaves the open state.
            breaker.transitionToHalfOpenState();
        }
    }

    private Duration untilTrial() {
        return switch (breaker.getState()) {
            case OPEN -> {
                Instant opened = openedAt.get();
                Duration left = opened == null ? openDuration
                        : Duration.between(clock.instant(), opened.plus(openDuration));
                yield left.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : left;
            }
            case HALF_OPEN -> openDuration.compareTo(HALF_OPEN_POLL) < 0 ? openDuration : HALF_OPEN_POLL;
            default -> openDuration;
        };
    }

    private static String stateName(CircuitBreaker.State state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
