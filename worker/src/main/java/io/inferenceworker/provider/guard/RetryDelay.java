package io.inferenceworker.provider.guard;

import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.RetryConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The wait before a retry: the provider's own hint when it gave one, else exponential backoff with full jitter
 * (uniform in {@code [0, min(cap, initial * 2^(retry-1))]}, which spreads a thundering herd best); either way never
 * past the end of the retry window or the job's deadline, so the next attempt can still be judged against them.
 */
final class RetryDelay {
    private RetryDelay() {
    }

    /**
     * @param config     the provider's retry policy
     * @param retry      1 for the first retry
     * @param failure    what the last attempt failed with
     * @param now        the current time
     * @param notAfter   the earlier of the window's end and the job's deadline
     */
    static Duration next(RetryConfig config, int retry, ProviderException failure, Instant now, Instant notAfter) {
        return within(hintOf(failure).orElseGet(() -> jittered(config, retry)), now, notAfter);
    }

    /** {@code wait}, but never past {@code notAfter} (zero when that has passed). */
    static Duration within(Duration wait, Instant now, Instant notAfter) {
        Duration remaining = Duration.between(now, notAfter);
        if (remaining.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(remaining) > 0 ? remaining : wait;
    }

    private static Optional<Duration> hintOf(ProviderException failure) {
        return failure instanceof ProviderException.Retryable r ? r.retryAfter() : Optional.empty();
    }

    private static Duration jittered(RetryConfig config, int retry) {
        long initial = config.initialBackoff().toMillis();
        long cap = config.maxBackoff().toMillis();
        int shift = Math.min(Math.max(retry - 1, 0), 30);
        long ceiling = Math.min(cap, initial << shift);
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }
}
