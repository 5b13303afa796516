package io.inferenceworker.tenancy;

import io.inferenceworker.provider.guard.PacedLimiter;
import io.inferenceworker.provider.guard.Protections;
import io.inferenceworker.provider.guard.TokenBudget;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Objects;

/**
 * What one tenant has used on this worker: its rate limiters (the same Resilience4j building blocks as a provider
 * instance's, {@link PacedLimiter} and {@link TokenBudget}), the in-flight places its jobs hold, and what it spent
 * today (UTC). Thread-safe.
 */
final class TenantAccount {
    private final String name;
    private final TenantLimits limits;
    private final int maxHeld;
    private final PacedLimiter requests;
    private final TokenBudget tokens;
    private int held;
    private LocalDate day = LocalDate.MIN;
    private double spent;

    /**
     * @param inFlightLimit the worker's in-flight limit, of which the tenant may hold its share
     * @param horizon       the furthest ahead its rate permits may be reserved
     */
    TenantAccount(String name, TenantLimits limits, int inFlightLimit, Duration horizon) {
        this.name = Objects.requireNonNull(name, "name");
        this.limits = Objects.requireNonNull(limits, "limits");
        // A share of 1 is no cap: in share mode the lanes may together hold a few records more than the limit.
        this.maxHeld = limits.inFlightShare() >= 1 ? Integer.MAX_VALUE
                : (int) Math.max(1, Math.ceil(limits.inFlightShare() * inFlightLimit));
        this.requests = limits.requestsPerMinute() == 0 ? null : new PacedLimiter("tenant-" + name + "-requests", 1,
                Duration.ofMinutes(1).dividedBy(limits.requestsPerMinute()), horizon);
        this.tokens = limits.tokensPerMinute() == 0 ? null : new TokenBudget("tenant-" + name,
                new Protections.Rates(0, limits.tokensPerMinute(), limits.defaultCompletionTokens()), horizon);
    }

    String name() {
        return name;
    }

    TenantLimits limits() {
        return limits;
    }

    int maxHeld() {
        return maxHeld;
    }

    PacedLimiter requests() {
        return requests;
    }

    TokenBudget tokens() {
        return tokens;
    }

    /** Whether the tenant's in-flight places are counted at all (a share below 1). */
    boolean capped() {
        return maxHeld != Integer.MAX_VALUE;
    }

    /** Takes one of the tenant's in-flight places, if one is free. */
    synchronized boolean take() {
        if (held >= maxHeld) {
            return false;
        }
        held++;
        return true;
    }

    synchronized void release() {
        held--;
    }

    synchronized int held() {
        return held;
    }

    /** What the tenant spent on {@code today}. */
    synchronized double spent(LocalDate today) {
        roll(today);
        return spent;
    }

    synchronized void charge(double cost, LocalDate today) {
        roll(today);
        spent += cost;
    }

    /** Nanoseconds until a new reservation could be due: a lower bound of a job's wait (0 without limits). */
    long nanosToWait() {
        long wait = requests == null ? 0 : requests.nanosToWait();
        return tokens == null ? wait : Math.max(wait, tokens.nanosToWait());
    }

    private void roll(LocalDate today) {
        if (!today.equals(day)) {
            day = today;
            spent = 0;
        }
    }
}
