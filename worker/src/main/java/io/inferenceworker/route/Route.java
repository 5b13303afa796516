package io.inferenceworker.route;

import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.RetryConfig;
import io.inferenceworker.provider.guard.Guarded;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A configured route ({@code routes.<name>}): hops tried in order, and when to move on from one to the next. The one
 * place that decides, from how a hop went, whether a routed job moves on:
 * <ul>
 *   <li>{@link #leavesRatherThanWait} — asked on every hop but the last before each wait of the hop's attempt loop:
 *       an open breaker ({@link Trigger#CIRCUIT_OPEN}) or a rate limit that would make the job wait longer than
 *       {@code max-wait} ({@link Trigger#RATE_LIMITED}) ends the hop at once instead of waiting;</li>
 *   <li>{@link #movesOnAfter} — once a hop ended with a failure: by its code, or, for any other retryable failure,
 *       {@link Trigger#RETRIES_EXHAUSTED} (the hop made {@code attempts-per-hop} attempts, or its window closed).
 *       Other terminal failures (authentication, a request the provider rejects) end the job: another hop would fail
 *       the same way or hide a configuration error;</li>
 *   <li>{@link #movesOnInvalid} — the hop's provider does not support a parameter ({@link Trigger#INVALID}).</li>
 * </ul>
 * A job never moves back: a hop it left is not retried for that job. Later jobs start at the first hop again, so a
 * route returns to its first instance as soon as that instance's breaker lets calls through.
 *
 * <p>Defaults: fall back on everything but {@link Trigger#INVALID} ({@link #DEFAULT_FALL_BACK_ON}),
 * {@code max-wait} {@link #DEFAULT_MAX_WAIT}, {@code attempts-per-hop} 0 = the instance's own {@code max-attempts}.
 * Immutable and thread-safe.
 *
 * @param name           the route's name, which jobs put in their {@code provider} field
 * @param hops           at least one; the first is tried first
 * @param fallBackOn     the conditions that move a job on
 * @param maxWait        the longest rate-limit wait a hop may impose before the job moves on
 * @param attemptsPerHop failed attempts after which a hop gives up (capped by the instance's {@code max-attempts});
 *                       0: the instance's
 */
public record Route(String name, List<Hop> hops, Set<Trigger> fallBackOn, Duration maxWait, int attemptsPerHop) {
    public static final Set<Trigger> DEFAULT_FALL_BACK_ON = Set.copyOf(EnumSet.complementOf(EnumSet.of(Trigger.INVALID)));
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(10);
    /** The provider's own 429 (see each dialect's status table). */
    static final String PROVIDER_RATE_LIMITED = "rate_limited";
    static final String INSUFFICIENT_CREDIT = "insufficient_credit";

    public Route {
        Objects.requireNonNull(name, "name");
        hops = List.copyOf(hops);
        if (hops.isEmpty()) {
            throw new IllegalArgumentException("route " + name + " has no hops");
        }
        fallBackOn = Set.copyOf(fallBackOn);
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("route " + name + ": max-wait must not be negative");
        }
        if (attemptsPerHop < 0) {
            throw new IllegalArgumentException("route " + name + ": attempts-per-hop must be >= 0");
        }
    }

    /** A route over {@code hops} with the defaults. */
    public static Route of(String name, List<Hop> hops) {
        return new Route(name, hops, DEFAULT_FALL_BACK_ON, DEFAULT_MAX_WAIT, 0);
    }

    public Route withFallBackOn(Set<Trigger> value) {
        return new Route(name, hops, value, maxWait, attemptsPerHop);
    }

    public Route withMaxWait(Duration value) {
        return new Route(name, hops, fallBackOn, value, attemptsPerHop);
    }

    public Route withAttemptsPerHop(int value) {
        return new Route(name, hops, fallBackOn, maxWait, value);
    }

    /** Whether a job on a hop that is not the last should end the hop now with {@code failure} rather than wait. */
    public boolean leavesRatherThanWait(ProviderException failure, Duration wait) {
        return switch (triggerOf(failure)) {
            case CIRCUIT_OPEN -> fallBackOn.contains(Trigger.CIRCUIT_OPEN);
            case RATE_LIMITED -> fallBackOn.contains(Trigger.RATE_LIMITED) && wait.compareTo(maxWait) > 0;
            case RETRIES_EXHAUSTED, INSUFFICIENT_CREDIT, INVALID -> false;
        };
    }

    /** Whether a job whose hop ended with {@code failure} moves on to the next hop (when there is one). */
    public boolean movesOnAfter(ProviderException failure) {
        Trigger trigger = triggerOf(failure);
        if (trigger == Trigger.RETRIES_EXHAUSTED && !failure.isRetryable()) {
            return false;
        }
        return fallBackOn.contains(trigger);
    }

    /** Whether a job whose hop does not support its parameters moves on. */
    public boolean movesOnInvalid() {
        return fallBackOn.contains(Trigger.INVALID);
    }

    /** The retry policy of a hop on an instance with policy {@code instance}: at most {@code attempts-per-hop}. */
    public RetryConfig retryOn(RetryConfig instance) {
        return attemptsPerHop == 0 || attemptsPerHop >= instance.maxAttempts() ? instance
                : instance.withMaxAttempts(attemptsPerHop);
    }

    /** The trigger a failure falls under; any other code is {@link Trigger#RETRIES_EXHAUSTED} (if retryable). */
    private static Trigger triggerOf(ProviderException failure) {
        return switch (failure.code()) {
            case Guarded.CIRCUIT_OPEN -> Trigger.CIRCUIT_OPEN;
            case Guarded.RATE_LIMITED_LOCALLY, Guarded.BACKLOG_FULL, PROVIDER_RATE_LIMITED -> Trigger.RATE_LIMITED;
            case INSUFFICIENT_CREDIT -> Trigger.INSUFFICIENT_CREDIT;
            default -> Trigger.RETRIES_EXHAUSTED;
        };
    }
}
