package io.inferenceworker.tenancy;

import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.Usage;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * One job's dealings with its tenant's limits, from {@link Tenants#ticket}: admitted once ({@link #admit}; a routed
 * job's later hops are admitted at once), charged once it has succeeded ({@link #charge}), and closed when the job
 * ends, which frees its in-flight place. Used by the job's own thread only.
 *
 * <p>Admission, in order: an in-flight place among the tenant's share ({@value TenantAdmission#BACKLOG_FULL} when
 * all are held, so that one tenant's backlog never holds more than its share of the worker); the day's budget
 * ({@value TenantAdmission#BUDGET_EXCEEDED} once spent — jobs already admitted still finish, so the day's spending
 * can pass the budget by what they cost); then the rate limits, whose permits are reserved in arrival order: the job
 * is told how long to wait for them, or {@value TenantAdmission#RATE_LIMITED} when that would be longer than it can
 * wait (nothing is then reserved, as far as a lower bound of the wait can tell beforehand).
 */
public final class TenantTicket implements AutoCloseable {
    private final TenantAccount account;
    private final Clock clock;
    private boolean admitted;
    private boolean holding;
    private long tokensCharged;

    TenantTicket(TenantAccount account, Clock clock) {
        this.account = Objects.requireNonNull(account, "account");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The tenant's name, as its limits are known by ({@code default} for a tenant without its own). */
    public String tenant() {
        return account.name();
    }

    /**
     * @param request the job's request, whose tokens are estimated for the token limit
     * @param maxWait the longest the job may wait for its rate permits (its retry window, or less to its deadline)
     */
    public TenantAdmission admit(CompletionRequest request, Duration maxWait) {
        if (admitted) {
            return TenantAdmission.Admitted.NOW;
        }
        // Without a cap nothing is counted: every job would otherwise take the tenant's lock twice for nothing.
        if (!holding && account.capped()) {
            if (!account.take()) {
                return new TenantAdmission.Refused(TenantAdmission.BACKLOG_FULL, "tenant " + account.name()
                        + " already has " + account.maxHeld() + " jobs in flight on this worker, its in-flight share ("
                        + account.limits().inFlightShare() + ")", true);
            }
            holding = true;
        }
        double budget = account.limits().dailyBudget();
        if (budget > 0) {
            double spent = account.spent(today());
            if (spent >= budget) {
                return new TenantAdmission.Refused(TenantAdmission.BUDGET_EXCEEDED, String.format(Locale.ROOT,
                        "tenant %s spent %.6f of its daily budget of %.6f on this worker today (UTC)",
                        account.name(), spent, budget), false);
            }
        }
        long maxWaitNanos = maxWait.isNegative() ? 0 : maxWait.toNanos();
        if (account.nanosToWait() > maxWaitNanos) {
            return rateLimited(account.nanosToWait(), maxWait);
        }
        long requestWait = account.requests() == null ? 0 : account.requests().reserve(1);
        if (requestWait < 0) {
            return rateLimited(account.requests().nanosToWait(), maxWait);
        }
        long tokenWait = 0;
        if (account.tokens() != null) {
            long estimate = account.tokens().estimate(request);
            tokenWait = account.tokens().reserve(estimate);
            if (tokenWait < 0) {
                return rateLimited(account.tokens().nanosToWait(), maxWait);
            }
            tokensCharged = estimate;
        }
        admitted = true;
        long wait = Math.max(requestWait, tokenWait);
        return wait == 0 ? TenantAdmission.Admitted.NOW : new TenantAdmission.Admitted(Duration.ofNanos(wait));
    }

    /**
     * Charges what the job used, once it has succeeded: reported tokens above its estimate, and its estimated cost
     * (none when the instance has no price for the model), asked of {@code cost} only when the tenant has a budget.
     */
    public void charge(Usage usage, Supplier<OptionalDouble> cost) {
        if (account.tokens() != null && admitted) {
            account.tokens().reconcile(tokensCharged, usage);
        }
        if (account.limits().dailyBudget() > 0) {
            OptionalDouble spent = cost.get();
            if (spent.isPresent() && spent.getAsDouble() > 0) {
                account.charge(spent.getAsDouble(), today());
            }
        }
    }

    /** Frees the job's in-flight place. Idempotent. */
    @Override
    public void close() {
        if (holding) {
            holding = false;
            account.release();
        }
    }

    private TenantAdmission rateLimited(long nanos, Duration maxWait) {
        return new TenantAdmission.Refused(TenantAdmission.RATE_LIMITED, "tenant " + account.name() + " rate limit: "
                + "next permit due in " + Duration.ofNanos(nanos).toMillis() + " ms, longer than the job can wait ("
                + maxWait.toMillis() + " ms)", true);
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
