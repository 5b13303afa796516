package io.inferenceworker.job;

import io.inferenceworker.schemas.CompletionStatus;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where a job stands on its route: the route's name and the hops it already left, with what they cost. A job that
 * named a provider instance has {@link #NONE}. Immutable.
 *
 * @param route the route the request named, or null when it named a provider instance
 * @param left  the hops the job moved on from, in order
 */
public record Routing(String route, List<LeftHop> left) {
    /** A job that named a provider instance. */
    public static final Routing NONE = new Routing(null, List.of());

    public Routing {
        left = List.copyOf(left);
    }

    /** The start of route {@code route}: no hop left yet. */
    static Routing start(String route) {
        return new Routing(Objects.requireNonNull(route, "route"), List.of());
    }

    /** This routing after leaving {@code hop}. */
    Routing after(LeftHop hop) {
        List<LeftHop> hops = new java.util.ArrayList<>(left);
        hops.add(hop);
        return new Routing(route, hops);
    }

    public boolean routed() {
        return route != null;
    }

    /** Provider calls made on the hops left: the next hop numbers its attempts on from here. */
    public int attemptsBefore() {
        return left.stream().mapToInt(LeftHop::attempts).sum();
    }

    /** Time spent on the hops left. */
    public Duration providerTimeBefore() {
        return left.stream().map(LeftHop::providerTime).reduce(Duration.ZERO, Duration::plus);
    }

    /**
     * A hop the job moved on from.
     *
     * @param provider     its instance
     * @param model        the model asked of it, or null for the instance's default
     * @param status       FAILED or INVALID
     * @param attempts     provider calls made on it
     * @param providerTime time spent on it
     * @param errorCode    why it did not answer
     */
    public record LeftHop(String provider, String model, CompletionStatus status, int attempts, Duration providerTime,
                          String errorCode) {
        public LeftHop {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(providerTime, "providerTime");
            Objects.requireNonNull(errorCode, "errorCode");
        }

        /**
         * The hop {@code outcome} ended on, left with {@code status} for {@code errorCode}: its attempts and time are
         * the outcome's, which count the earlier hops too, less theirs.
         */
        static LeftHop of(Outcome outcome, CompletionStatus status, String errorCode) {
            Job job = outcome.job();
            return new LeftHop(job.provider(), job.model(), status,
                    outcome.attempts() - job.routing().attemptsBefore(),
                    outcome.providerTime().minus(job.routing().providerTimeBefore()), errorCode);
        }
    }
}
