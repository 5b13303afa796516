package io.inferenceworker.provider.guard;

import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.RetryConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * The frozen, validated protections of one provider instance, built from {@code providers.<name>.*} by
 * {@link #of(ProviderSettings, RetryConfig)} and enforced by {@link ProviderGuard}.
 *
 * <p>Defaults (see {@link ProviderSettings}): concurrency {@value ProviderSettings#DEFAULT_MAX_CONCURRENCY}, no
 * request or token limit, circuit breaker enabled with the {@link ProviderSettings.CircuitBreaker} defaults. Two
 * values derive from the retry policy rather than being configured:
 * <ul>
 *   <li>{@link #inlineWait()}: the longest a call waits for a permit inside its attempt,
 *       {@code min(}{@link #DEFAULT_MAX_INLINE_WAIT}{@code , attempt-timeout / }{@value #INLINE_WAIT_DIVISOR}{@code )}.
 *       Waiting inside an attempt eats into its timeout, so longer waits are handed back to the job's retry loop;</li>
 *   <li>{@link #horizon()}: how far ahead a rate-limit permit may be reserved, the retry window (a job never waits
 *       longer than that).</li>
 * </ul>
 *
 * @param maxConcurrency calls in flight at once (&ge; 1)
 * @param rates          request and token limits
 * @param breaker        the circuit breaker
 * @param inlineWait     the longest wait for a permit inside an attempt
 * @param horizon        the furthest ahead a rate-limit permit is reserved
 */
public record Protections(int maxConcurrency, Rates rates, Breaker breaker, Duration inlineWait, Duration horizon) {
    public static final Duration DEFAULT_MAX_INLINE_WAIT = Duration.ofMillis(500);
    public static final int INLINE_WAIT_DIVISOR = 10;

    public Protections {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("max-concurrency must be >= 1, was " + maxConcurrency);
        }
        Objects.requireNonNull(rates, "rates");
        Objects.requireNonNull(breaker, "breaker");
        requirePositive(inlineWait, "inline wait");
        requirePositive(horizon, "horizon");
    }

    /**
     * Freezes and validates an instance's settings.
     *
     * @throws IllegalArgumentException naming the offending setting
     */
    public static Protections of(ProviderSettings settings, RetryConfig retry) {
        ProviderSettings.RateLimit r = settings.getRateLimit();
        ProviderSettings.CircuitBreaker b = settings.getCircuitBreaker();
        Duration byTimeout = retry.attemptTimeout().dividedBy(INLINE_WAIT_DIVISOR);
        Duration inline = byTimeout.compareTo(DEFAULT_MAX_INLINE_WAIT) < 0 ? byTimeout : DEFAULT_MAX_INLINE_WAIT;
        return new Protections(settings.getMaxConcurrency(),
                new Rates(r.getRequestsPerMinute(), r.getTokensPerMinute(), r.getDefaultCompletionTokens()),
                new Breaker(b.isEnabled(), b.getFailureRateThreshold(), b.getSlidingWindowSize(), b.getMinimumCalls(),
                        b.getHalfOpenCalls(), b.getOpenDuration()),
                inline.isZero() ? Duration.ofMillis(1) : inline, retry.window());
    }

    /** These protections with another concurrency limit. */
    public Protections withMaxConcurrency(int value) {
        return new Protections(value, rates, breaker, inlineWait, horizon);
    }

    /** These protections with other rate limits. */
    public Protections withRates(Rates value) {
        return new Protections(maxConcurrency, value, breaker, inlineWait, horizon);
    }

    /** These protections with another circuit breaker. */
    public Protections withBreaker(Breaker value) {
        return new Protections(maxConcurrency, rates, value, inlineWait, horizon);
    }

    /**
     * {@code rate-limit.*}; 0 means unlimited.
     *
     * @param requestsPerMinute       requests a minute, paced as one permit per {@code 60 s / rpm} period
     * @param tokensPerMinute         estimated tokens a minute (0, or &ge; 60), refilled every second
     * @param defaultCompletionTokens completion tokens assumed per choice when a request has no {@code max_tokens}
     */
    public record Rates(int requestsPerMinute, int tokensPerMinute, int defaultCompletionTokens) {
        /** No request or token limit. */
        public static final Rates UNLIMITED =
                new Rates(0, 0, ProviderSettings.RateLimit.DEFAULT_COMPLETION_TOKENS);

        public Rates {
            if (requestsPerMinute < 0) {
                throw new IllegalArgumentException("rate-limit.requests-per-minute must be >= 0 (0 = unlimited), was "
                        + requestsPerMinute);
            }
            if (tokensPerMinute < 0 || tokensPerMinute > 0 && tokensPerMinute < 60) {
                throw new IllegalArgumentException("rate-limit.tokens-per-minute must be 0 (unlimited) or >= 60, was "
                        + tokensPerMinute);
            }
            if (defaultCompletionTokens < 1) {
                throw new IllegalArgumentException("rate-limit.default-completion-tokens must be >= 1, was "
                        + defaultCompletionTokens);
            }
        }
    }

    /**
     * {@code circuit-breaker.*}.
     *
     * @param enabled              off: every call goes through and nothing is recorded
     * @param failureRateThreshold percentage of recorded calls that must have failed to open (1..100)
     * @param slidingWindowSize    recorded calls the rate is computed over
     * @param minimumCalls         calls recorded before the rate is judged (capped at the window size)
     * @param halfOpenCalls        trial calls after the open duration
     * @param openDuration         how long the breaker stays open before trial calls
     */
    public record Breaker(boolean enabled, int failureRateThreshold, int slidingWindowSize, int minimumCalls,
                          int halfOpenCalls, Duration openDuration) {
        /** The {@link ProviderSettings.CircuitBreaker} defaults. */
        public static final Breaker DEFAULTS = new Breaker(true, ProviderSettings.CircuitBreaker.DEFAULT_FAILURE_RATE,
                ProviderSettings.CircuitBreaker.DEFAULT_WINDOW_SIZE,
                ProviderSettings.CircuitBreaker.DEFAULT_MINIMUM_CALLS,
                ProviderSettings.CircuitBreaker.DEFAULT_HALF_OPEN_CALLS,
                ProviderSettings.CircuitBreaker.DEFAULT_OPEN_DURATION);

        public Breaker {
            if (failureRateThreshold < 1 || failureRateThreshold > 100) {
                throw new IllegalArgumentException("circuit-breaker.failure-rate-threshold must be 1..100, was "
                        + failureRateThreshold);
            }
            if (slidingWindowSize < 1) {
                throw new IllegalArgumentException("circuit-breaker.sliding-window-size must be >= 1, was "
                        + slidingWindowSize);
            }
            if (minimumCalls < 1) {
                throw new IllegalArgumentException("circuit-breaker.minimum-calls must be >= 1, was " + minimumCalls);
            }
            if (halfOpenCalls < 1) {
                throw new IllegalArgumentException("circuit-breaker.half-open-calls must be >= 1, was "
                        + halfOpenCalls);
            }
            requirePositive(openDuration, "circuit-breaker.open-duration");
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
