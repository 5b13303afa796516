package io.inferenceworker.tenancy;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.util.Objects;

/**
 * The limits of one tenant, {@code tenants.<name>.*}; {@code tenants.default.*} applies to every tenant without a
 * block of its own, and to jobs that name no tenant. A limit a tenant's block leaves unset (null) is that of
 * {@code tenants.default}. Every limit is per worker (see README "Tenants" for sizing them
 * for N workers). Other keys under {@code tenants.<name>} (such as {@code topics}) belong to other components.
 * Defaults: {@value #DEFAULT_REQUESTS_PER_MINUTE} (unlimited) requests and {@value #DEFAULT_TOKENS_PER_MINUTE}
 * (unlimited) tokens per minute, {@value #DEFAULT_COMPLETION_TOKENS} completion tokens estimated per choice when a
 * request has no {@code max_tokens}, in-flight share {@value #DEFAULT_IN_FLIGHT_SHARE} (the whole limit), daily
 * budget {@value #DEFAULT_DAILY_BUDGET} (none).
 */
@EachProperty("tenants")
public class TenantSettings {
    /** The block whose limits apply to tenants without their own. */
    public static final String DEFAULT_TENANT = "default";
    public static final int DEFAULT_REQUESTS_PER_MINUTE = 0;
    public static final int DEFAULT_TOKENS_PER_MINUTE = 0;
    public static final int DEFAULT_COMPLETION_TOKENS = 1024;
    public static final double DEFAULT_IN_FLIGHT_SHARE = 1.0;
    public static final double DEFAULT_DAILY_BUDGET = 0;

    private final String name;
    // Unset (null): the value of tenants.default, else the default above. A block may exist only for other keys
    // (a tenant's topics), and must not lift tenants.default's limits.
    private Integer requestsPerMinute;
    private Integer tokensPerMinute;
    private Integer defaultCompletionTokens;
    private Double inFlightShare;
    private Double dailyBudget;

    public TenantSettings(@Parameter String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    public String getName() {
        return name;
    }

    /** Jobs admitted per minute, paced evenly; 0 = unlimited. */
    public Integer getRequestsPerMinute() {
        return requestsPerMinute;
    }

    public void setRequestsPerMinute(Integer requestsPerMinute) {
        this.requestsPerMinute = requestsPerMinute;
    }

    /** Estimated tokens per minute (as a provider's token limit counts them); 0 = unlimited, else &ge; 60. */
    public Integer getTokensPerMinute() {
        return tokensPerMinute;
    }

    public void setTokensPerMinute(Integer tokensPerMinute) {
        this.tokensPerMinute = tokensPerMinute;
    }

    public Integer getDefaultCompletionTokens() {
        return defaultCompletionTokens;
    }

    public void setDefaultCompletionTokens(Integer defaultCompletionTokens) {
        this.defaultCompletionTokens = defaultCompletionTokens;
    }

    /** The most of {@code worker.in-flight-limit} the tenant's jobs may hold at once, 0 &lt; share &le; 1. */
    public Double getInFlightShare() {
        return inFlightShare;
    }

    public void setInFlightShare(Double inFlightShare) {
        this.inFlightShare = inFlightShare;
    }

    /** Estimated cost per UTC day, in the price table's currency; 0 = no budget. */
    public Double getDailyBudget() {
        return dailyBudget;
    }

    public void setDailyBudget(Double dailyBudget) {
        this.dailyBudget = dailyBudget;
    }
}
