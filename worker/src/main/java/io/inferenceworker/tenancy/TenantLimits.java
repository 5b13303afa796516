package io.inferenceworker.tenancy;

import java.util.ArrayList;
import java.util.List;

/**
 * The limits of one tenant, per worker; see {@link TenantSettings} for their meaning and defaults. Immutable.
 *
 * @param requestsPerMinute       jobs admitted per minute; 0 = unlimited
 * @param tokensPerMinute         estimated tokens per minute; 0 = unlimited, else &ge; 60
 * @param defaultCompletionTokens completion tokens estimated per choice without {@code max_tokens}
 * @param inFlightShare           the most of the in-flight limit its jobs may hold, 0 &lt; share &le; 1
 * @param dailyBudget             estimated cost per UTC day; 0 = none
 */
public record TenantLimits(int requestsPerMinute, int tokensPerMinute, int defaultCompletionTokens,
                           double inFlightShare, double dailyBudget) {
    /** No limit at all. */
    public static final TenantLimits NONE = new TenantLimits(TenantSettings.DEFAULT_REQUESTS_PER_MINUTE,
            TenantSettings.DEFAULT_TOKENS_PER_MINUTE, TenantSettings.DEFAULT_COMPLETION_TOKENS,
            TenantSettings.DEFAULT_IN_FLIGHT_SHARE, TenantSettings.DEFAULT_DAILY_BUDGET);

    public TenantLimits {
        List<String> problems = problems("tenant", requestsPerMinute, tokensPerMinute, defaultCompletionTokens,
                inFlightShare, dailyBudget);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** {@code s}'s limits, each one it leaves unset taken from {@code base}. */
    static TenantLimits of(TenantSettings s, TenantLimits base) {
        return new TenantLimits(
                s.getRequestsPerMinute() != null ? s.getRequestsPerMinute() : base.requestsPerMinute(),
                s.getTokensPerMinute() != null ? s.getTokensPerMinute() : base.tokensPerMinute(),
                s.getDefaultCompletionTokens() != null ? s.getDefaultCompletionTokens() : base.defaultCompletionTokens(),
                s.getInFlightShare() != null ? s.getInFlightShare() : base.inFlightShare(),
                s.getDailyBudget() != null ? s.getDailyBudget() : base.dailyBudget());
    }

    /** What is wrong with {@code s}'s limits (those it leaves unset taken from {@code base}), by property. */
    static List<String> problems(TenantSettings s, TenantLimits base) {
        return problems("tenants." + s.getName(),
                s.getRequestsPerMinute() != null ? s.getRequestsPerMinute() : base.requestsPerMinute(),
                s.getTokensPerMinute() != null ? s.getTokensPerMinute() : base.tokensPerMinute(),
                s.getDefaultCompletionTokens() != null ? s.getDefaultCompletionTokens() : base.defaultCompletionTokens(),
                s.getInFlightShare() != null ? s.getInFlightShare() : base.inFlightShare(),
                s.getDailyBudget() != null ? s.getDailyBudget() : base.dailyBudget());
    }

    public TenantLimits withRequestsPerMinute(int value) {
        return new TenantLimits(value, tokensPerMinute, defaultCompletionTokens, inFlightShare, dailyBudget);
    }

    public TenantLimits withTokensPerMinute(int value) {
        return new TenantLimits(requestsPerMinute, value, defaultCompletionTokens, inFlightShare, dailyBudget);
    }

    public TenantLimits withInFlightShare(double value) {
        return new TenantLimits(requestsPerMinute, tokensPerMinute, defaultCompletionTokens, value, dailyBudget);
    }

    public TenantLimits withDailyBudget(double value) {
        return new TenantLimits(requestsPerMinute, tokensPerMinute, defaultCompletionTokens, inFlightShare, value);
    }

    private static List<String> problems(String where, int rpm, int tpm, int completion, double share,
                                         double budget) {
        List<String> problems = new ArrayList<>();
        if (rpm < 0) {
            problems.add(where + ".requests-per-minute must be >= 0 (0 = unlimited), was " + rpm);
        }
        if (tpm < 0 || tpm > 0 && tpm < 60) {
            problems.add(where + ".tokens-per-minute must be 0 (unlimited) or >= 60, was " + tpm);
        }
        if (completion < 1) {
            problems.add(where + ".default-completion-tokens must be >= 1, was " + completion);
        }
        if (!(share > 0 && share <= 1)) {
            problems.add(where + ".in-flight-share must be > 0 and <= 1, was " + share);
        }
        if (!(budget >= 0) || Double.isInfinite(budget)) {
            problems.add(where + ".daily-budget must be >= 0 (0 = none), was " + budget);
        }
        return problems;
    }
}
