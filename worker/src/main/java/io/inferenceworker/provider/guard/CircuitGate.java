package io.inferenceworker.provider.guard;

import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ProviderException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.internal.CircuitBreakerStateMachine;
import io.inferenceworker.provider.ProviderEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker of one instance: a count-based Resilience4j {@link CircuitBreaker} on the instance's
 * {@link Clock}, with its verdicts chosen here rather than by exception type:
 * <ul>
 *   <li>failures are outages: retryable failures without an HTTP status (timeouts, connection failures, broken
 *       streams, a call interrupted at its attempt deadline), 5xx, 408, and malformed 2xx answers;</li>
 *   <li>successes: answers, and terminal failures (a 4xx means the provider is up and judged the request);</li>
 *   <li>not recorded: 409, 425, 429 (the provider is up but busy: rate limits are not outages), calls interrupted
 *       before their deadline (shutdown), and anything that is not a {@link ProviderException}.</li>
 * </ul>
 * Refusals ({@link #enter}) and failures that find the breaker open, or half-open with trials pending
 * ({@link #onFailure}), become a {@link LocalWait} {@value LocalWait#CIRCUIT_OPEN} asking the job to come back when
 * trial calls are next allowed: the open duration's remainder, or {@link #HALF_OPEN_POLL} (at most the open
 * duration) while trial calls are under way.
 *
 * <p>Thread-safe.
 */
final class CircuitGate {
    static final Duration HALF_OPEN_POLL = Duration.ofSeconds(1);
    /** A call interrupted this close to its deadline was stopped by the attempt timeout: a timeout, not a shutdown. */
    static final Duration DEADLINE_TOLERANCE = Duration.ofMillis(250);
    private static final Duration MIN_WAIT = Duration.ofMillis(10);
    private static final Logger LOG = LoggerFactory.getLogger(CircuitGate.class);

    private final String name;
    private final CircuitBreaker breaker;
    private final Clock clock;
    private final Duration openDuration;
    private final ProviderEvents events;
    private volatile Instant openedAt = Instant.MIN;

    CircuitGate(String name, Protections.Breaker config, Clock clock, ProviderEvents events) {
        this.name = name;
        this.clock = clock;
        this.openDuration = config.openDuration();
        this.events = events;
        this.breaker = new CircuitBreakerStateMachine(name, CircuitBreakerConfig.custom()
                .slidingWindow(config.slidingWindowSize(), config.minimumCalls(),
                        CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(config.failureRateThreshold())
                .waitDurationInOpenState(config.openDuration())
                .permittedNumberOfCallsInHalfOpenState(config.halfOpenCalls())
                .writableStackTraceEnabled(false)
                .build(), clock);
        if (!config.enabled()) {
            breaker.transitionToDisabledState();
        }
        breaker.getEventPublisher().onStateTransition(e -> {
            CircuitBreaker.State to = e.getStateTransition().getToState();
            if (to == CircuitBreaker.State.OPEN) {
                openedAt = clock.instant();
            }
            LOG.warn("provider instance {}: circuit breaker {} -> {}", name,
                    stateName(e.getStateTransition().getFromState()), stateName(to));
            events.onCircuitState(name, stateName(to));
        });
        events.onCircuitState(name, stateName(breaker.getState()));
    }

    /**
     * Takes a permission to call; release it with {@link #release()} or a verdict.
     *
     * @throws ProviderException.Retryable with a {@link LocalWait} when the breaker does not permit a call now
     */
    void enter(ChatCall call) {
        if (!breaker.tryAcquirePermission()) {
            Duration wait = untilTrial();
            events.onDeferred(name, LocalWait.CIRCUIT_OPEN);
            throw LocalWait.refusal(call, name, LocalWait.CIRCUIT_OPEN, "circuit breaker is " + stateName(
                    breaker.getState()) + " after provider failures; next trial in " + wait.toMillis() + " ms", wait);
        }
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
     * Records {@code failure} and returns what the caller should throw: the failure itself, or a
     * {@value LocalWait#CIRCUIT_OPEN} wait in its place when the breaker is now open (or half-open).
     */
    ProviderException onFailure(ChatCall call, ProviderException failure, long nanos) {
        if (!failure.isRetryable()) {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
            return failure;
        }
        if (!isOutage(call, failure)) {
            breaker.releasePermission();
            return failure;
        }
        breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
        CircuitBreaker.State now = breaker.getState();
        if (now == CircuitBreaker.State.CLOSED || now == CircuitBreaker.State.DISABLED
                || now == CircuitBreaker.State.METRICS_ONLY) {
            return failure;
        }
        events.onDeferred(name, LocalWait.CIRCUIT_OPEN);
        return LocalWait.replacing(failure, untilTrial());
    }

    private boolean isOutage(ChatCall call, ProviderException failure) {
        if (failure.httpStatus().isPresent()) {
            int status = failure.httpStatus().get();
            return status < 400 || status >= 500 || status == 408;
        }
        if ("interrupted".equals(failure.code())) {
            return !clock.instant().plus(DEADLINE_TOLERANCE).isBefore(call.deadline());
        }
        return true;
    }

    private Duration untilTrial() {
        return switch (breaker.getState()) {
            case OPEN -> {
                Duration left = Duration.between(clock.instant(), openedAt.plus(openDuration));
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
