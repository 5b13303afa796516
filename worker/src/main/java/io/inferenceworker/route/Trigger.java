package io.inferenceworker.route;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A condition that moves a routed job on from a hop to the next one ({@code routes.<name>.fall-back-on}). */
public enum Trigger {
    /** The hop's circuit breaker is open: move on at once instead of waiting for it. */
    CIRCUIT_OPEN,
    /**
     * The hop is rate-limited (by the provider, or by the instance's own limits) and would make the job wait longer
     * than the route's {@code max-wait}; also a hop whose waiting room is full ({@code provider_backlog_full}).
     */
    RATE_LIMITED,
    /** The hop failed retryably {@code attempts-per-hop} times (or its retry window closed). */
    RETRIES_EXHAUSTED,
    /** The provider says the account has no credit or quota left ({@code insufficient_credit}). */
    INSUFFICIENT_CREDIT,
    /** The hop's provider does not support a parameter of the request (INVALID before any call). */
    INVALID;

    /** The configuration spelling, e.g. {@code circuit-open}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Optional<Trigger> parse(String key) {
        return Arrays.stream(values()).filter(t -> t.key().equals(key.trim().toLowerCase(Locale.ROOT))).findFirst();
    }
}
