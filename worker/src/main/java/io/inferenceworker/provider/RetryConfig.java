package io.inferenceworker.provider;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable retry policy of one provider instance, bound from {@code providers.<name>.retry.*}.
 *
 * <p>Defaults: {@value #DEFAULT_MAX_ATTEMPTS} attempts; exponential backoff from {@link #DEFAULT_INITIAL_BACKOFF}
 * doubling up to {@link #DEFAULT_MAX_BACKOFF}, with full jitter; at most {@link #DEFAULT_WINDOW} from the first
 * attempt to the last; each attempt at most {@link #DEFAULT_ATTEMPT_TIMEOUT}. A provider's {@code Retry-After}
 * replaces the computed backoff but never extends past the window or the job's deadline.
 *
 * @param maxAttempts    attempts in all, the first included (&ge; 1)
 * @param initialBackoff upper bound of the first jittered delay
 * @param maxBackoff     cap of any computed delay
 * @param window         the whole retry budget of one job
 * @param attemptTimeout how long one attempt may take
 */
public record RetryConfig(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration window,
                          Duration attemptTimeout) {
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(120);

    /** The defaults above. */
    public static final RetryConfig DEFAULTS = new RetryConfig(DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF,
            DEFAULT_MAX_BACKOFF, DEFAULT_WINDOW, DEFAULT_ATTEMPT_TIMEOUT);

    public RetryConfig {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry max-attempts must be >= 1, was " + maxAttempts);
        }
        requirePositive(initialBackoff, "initial-backoff");
        requirePositive(maxBackoff, "max-backoff");
        requirePositive(window, "window");
        requirePositive(attemptTimeout, "attempt-timeout");
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("retry max-backoff must be >= initial-backoff");
        }
    }

    public RetryConfig withMaxAttempts(int value) {
        return new RetryConfig(value, initialBackoff, maxBackoff, window, attemptTimeout);
    }

    public RetryConfig withBackoff(Duration initial, Duration max) {
        return new RetryConfig(maxAttempts, initial, max, window, attemptTimeout);
    }

    public RetryConfig withWindow(Duration value) {
        return new RetryConfig(maxAttempts, initialBackoff, maxBackoff, value, attemptTimeout);
    }

    public RetryConfig withAttemptTimeout(Duration value) {
        return new RetryConfig(maxAttempts, initialBackoff, maxBackoff, window, value);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("retry " + name + " must be positive, was " + d);
        }
    }
}
