package io.inferenceworker.testkit.sim;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Latency settings and the waits built on them. Every wait ends early when the simulator closes, so closing never
 * waits for sleeping or hanging requests. Thread-safe.
 */
final class Pacing {

    private final Duration hangLimit;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Map<Dialect, Duration> perDialect = new ConcurrentHashMap<>();
    private volatile Duration global = Duration.ZERO;
    private volatile Duration jitter = Duration.ZERO;

    Pacing(Duration hangLimit) {
        this.hangLimit = Objects.requireNonNull(hangLimit, "hangLimit");
    }

    void setGlobal(Duration latency) {
        global = requireNonNegative(latency);
    }

    void setFor(Dialect dialect, Duration latency) {
        perDialect.put(Objects.requireNonNull(dialect, "dialect"), requireNonNegative(latency));
    }

    void setJitter(Duration maxExtra) {
        jitter = requireNonNegative(maxExtra);
    }

    void reset() {
        global = Duration.ZERO;
        jitter = Duration.ZERO;
        perDialect.clear();
    }

    /** Waits the dialect's latency (its own when set, else the global one) plus a random jitter; false if closing. */
    boolean awaitLatency(Dialect dialect) {
        long nanos = perDialect.getOrDefault(dialect, global).toNanos();
        long maxJitter = jitter.toNanos();
        if (maxJitter > 0) {
            nanos += ThreadLocalRandom.current().nextLong(maxJitter + 1);
        }
        return pause(nanos);
    }

    /** Waits {@code delay}; false if the simulator is closing. */
    boolean pause(Duration delay) {
        return pause(delay.toNanos());
    }

    /** Holds the calling request until the simulator closes or the hang limit passes. */
    void hang() {
        pause(hangLimit.toNanos());
    }

    boolean closing() {
        return closing.getCount() == 0;
    }

    void close() {
        closing.countDown();
    }

    private boolean pause(long nanos) {
        if (nanos <= 0) {
            return !closing();
        }
        try {
            return !closing.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Duration requireNonNegative(Duration latency) {
        if (Objects.requireNonNull(latency, "latency").isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + latency);
        }
        return latency;
    }
}
