package io.inferenceworker.provider.guard;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;

/**
 * A Resilience4j {@link RateLimiter} (public API only) used by reservation: {@code limit} permits per {@code period},
 * reservable up to {@code horizon} ahead, plus a wait estimate the public API does not offer.
 *
 * <p><b>Wait estimate</b> ({@link #nanosToWait()}): the limiter's available permissions in the current period (negative
 * when later periods' permits are already reserved) give the whole periods still to wait; the time left in the
 * current period comes from the limiter's periods starting when it was created (Resilience4j's
 * {@code RateLimiter.of} counts periods from its construction on {@link System#nanoTime()}; this class takes its own
 * origin just before). The origin is taken a few microseconds early, so the estimate errs short, never long, except
 * within those microseconds of a period boundary.
 *
 * <p>Thread-safe.
 */
public final class PacedLimiter {
    private final RateLimiter limiter;
    private final int limit;
    private final long periodNanos;
    private final long originNanos;

    /**
     * @param limit   permits per period (&ge; 1)
     * @param period  the refill period
     * @param horizon the furthest ahead permits may be reserved
     */
    public PacedLimiter(String name, int limit, Duration period, Duration horizon) {
        this.limit = limit;
        this.periodNanos = period.toNanos();
        this.originNanos = System.nanoTime();
        this.limiter = RateLimiter.of(name, RateLimiterConfig.custom()
                .limitForPeriod(limit)
                .limitRefreshPeriod(period)
                .timeoutDuration(horizon)
                .build());
    }

    /**
     * Reserves {@code permits}.
     *
     * @return nanoseconds until they are due (0: now), or -1 when that is beyond the horizon (nothing reserved)
     */
    public long reserve(int permits) {
        return limiter.reservePermission(permits);
    }

    /** Takes every permit left in the current period. */
    void drain() {
        limiter.drainPermissions();
    }

    /** Nanoseconds until a reservation of one permit would be due (0: now), estimated as the class comment says. */
    public long nanosToWait() {
        int available = limiter.getMetrics().getAvailablePermissions();
        if (available >= 1) {
            return 0;
        }
        // Whole periods after the current one before a permit is free, as the limiter itself computes them.
        long fullPeriods = Math.ceilDiv(-(available + limit - 1L), (long) limit);
        long intoPeriod = Math.floorMod(System.nanoTime() - originNanos, periodNanos);
        return fullPeriods * periodNanos + (periodNanos - intoPeriod);
    }
}
