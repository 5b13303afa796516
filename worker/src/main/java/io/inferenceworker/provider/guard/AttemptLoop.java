package io.inferenceworker.provider.guard;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.Timeout;
import dev.failsafe.TimeoutExceededException;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.RetryConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one retry loop: makes tries ({@link Attempt}) until one answers, one fails terminally, or the instance's
 * {@link RetryConfig} gives up, and says how it ended ({@link Ending}). Used for completions (through the instance's
 * {@link ProviderGuard}) and for rating calls (without it).
 *
 * <p>Each try's {@link Guarded} outcome decides the next step:
 * <ul>
 *   <li>{@link Guarded.Answered answered}: done;</li>
 *   <li>{@link Guarded.Failed failed} terminally: done; retryably: a failed attempt, counted against
 *       {@code max-attempts}. While attempts and the {@code window} last, the job waits {@link RetryDelay} (the
 *       provider's retry-after, else jittered exponential backoff) and tries again. A guarded job waiting to retry
 *       takes a place in its instance's {@link WaitingRoom} ({@link ProviderGuard#holdForRetry}); when the room is
 *       full it ends at once with {@value Guarded#BACKLOG_FULL} instead, keeping the failed attempt's HTTP status;</li>
 *   <li>{@link Guarded.Deferred deferred}: the protections' own wait. The job waits as asked, never past the window's
 *       end or its deadline, and tries again; the wait is not counted against {@code max-attempts}, and a try refused
 *       before any call uses no attempt number. A deferral still asked for once the window has ended ends the job with
 *       its failure ({@link Guarded.Deferred#failure()}).</li>
 * </ul>
 * Each try runs under a Failsafe {@link Timeout} of {@code attempt-timeout} that interrupts it; a try that times out
 * is a failed attempt with code {@code timeout}. Before every try but the first the job's deadline is checked: past
 * it the job has {@link Ending.Expired expired}. An interrupt other than the timeout's (shutdown) ends the loop with
 * {@link Ending.Interrupted}. Before every wait the plan's {@link Leave} may end the loop at once with the failure it
 * would otherwise wait out (a routed job moving on to its next hop). When a guarded job ends, however it ends, its place in the room and any permits held for
 * it are freed ({@link ProviderGuard#forget}).
 *
 * <p>{@code attempts} in every ending counts the provider calls made: answered, failed, and failures that opened the
 * breaker (deferred in place of a failure). The waits run on the calling (virtual) thread; the deadline and window
 * are judged on the injected {@link Clock}. Stateless and thread-safe; one instance serves all jobs.
 */
public final class AttemptLoop {
    private final Clock clock;

    public AttemptLoop(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** One try. */
    @FunctionalInterface
    public interface Attempt<T> {
        /**
         * @param number   the attempt number of this try's provider call (1 for the first; a try that calls no
         *                 provider leaves its number to the next)
         * @param deadline when the attempt timeout ends this try
         */
        Guarded<T> run(int number, Instant deadline);
    }

    /**
     * What to run a loop for. Defaults: no deadline, no guard (no waiting room), nothing told of retries.
     *
     * @param jobId    the job (or vote) the tries belong to
     * @param provider the provider instance's name
     * @param retry    the instance's retry policy
     * @param deadline the job's own deadline, if any
     * @param guard    the instance's protections, whose waiting room a job backing off takes a place in
     * @param onRetry  told of every failure that is about to be retried
     * @param leave    asked before every wait (a retry's backoff or a deferral) whether to end the loop now with the
     *                 failure instead; by default never
     */
    public record Plan(String jobId, String provider, RetryConfig retry, Optional<Instant> deadline,
                       Optional<ProviderGuard> guard, Consumer<ProviderException> onRetry, Leave leave) {
        public Plan {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(retry, "retry");
            Objects.requireNonNull(deadline, "deadline");
            Objects.requireNonNull(guard, "guard");
            Objects.requireNonNull(onRetry, "onRetry");
            Objects.requireNonNull(leave, "leave");
        }

        public static Plan of(String jobId, String provider, RetryConfig retry) {
            return new Plan(jobId, provider, retry, Optional.empty(), Optional.empty(), failure -> {
            }, Leave.NEVER);
        }

        public Plan withDeadline(Optional<Instant> value) {
            return new Plan(jobId, provider, retry, value, guard, onRetry, leave);
        }

        public Plan withGuard(ProviderGuard value) {
            return new Plan(jobId, provider, retry, deadline, Optional.of(value), onRetry, leave);
        }

        public Plan withOnRetry(Consumer<ProviderException> listener) {
            return new Plan(jobId, provider, retry, deadline, guard, listener, leave);
        }

        public Plan withLeave(Leave value) {
            return new Plan(jobId, provider, retry, deadline, guard, onRetry, value);
        }
    }

    /**
     * Whether a job should end its loop now, with {@code failure}, rather than wait {@code wait} and try again: a
     * routed job leaves a hop whose breaker is open, or whose rate limit would keep it too long, for the next hop.
     */
    @FunctionalInterface
    public interface Leave {
        /** Never leave: wait as the loop's rules say. */
        Leave NEVER = (failure, wait) -> false;

        boolean rather(ProviderException failure, Duration wait);
    }

    /** How a loop ended; {@code attempts}: provider calls made, {@code elapsed}: time in calls and waits. */
    public sealed interface Ending<T> {
        int attempts();

        Duration elapsed();

        /** The provider answered, on attempt number {@code attempts}. */
        record Answered<T>(T value, int attempts, Duration elapsed) implements Ending<T> {
        }

        /** A terminal failure, the last retryable one when the policy gave up, or {@value Guarded#BACKLOG_FULL}. */
        record Failed<T>(ProviderException failure, int attempts, Duration elapsed) implements Ending<T> {
        }

        /** The job's deadline passed before a retry. */
        record Expired<T>(String reason, int attempts, Duration elapsed) implements Ending<T> {
        }

        /** The thread was interrupted (shutdown) during a try or a wait. */
        record Interrupted<T>(int attempts, Duration elapsed) implements Ending<T> {
        }
    }

    /** Runs tries of {@code attempt} as {@code plan} says; see the class comment. */
    public <T> Ending<T> run(Plan plan, Attempt<T> attempt) {
        RetryConfig retry = plan.retry();
        Instant started = clock.instant();
        Instant windowEnd = started.plus(retry.window());
        Instant notAfter = plan.deadline().filter(d -> d.isBefore(windowEnd)).orElse(windowEnd);
        FailsafeExecutor<Guarded<T>> timeout = Failsafe.with(
                Timeout.<Guarded<T>>builder(retry.attemptTimeout()).withInterrupt().build());
        int attempts = 0;
        int failedAttempts = 0;
        try {
            for (boolean first = true; ; first = false) {
                Instant now = clock.instant();
                Optional<Instant> deadline = plan.deadline();
                if (!first && deadline.isPresent() && now.isAfter(deadline.get())) {
                    return new Ending.Expired<>("deadline " + deadline.get() + " passed after " + attempts
                            + " attempt(s); not retrying", attempts, since(started));
                }
                Guarded<T> outcome = tryOnce(plan, attempt, attempts + 1, now.plus(retry.attemptTimeout()), timeout);
                switch (outcome) {
                    case Guarded.Answered<T> answered -> {
                        return new Ending.Answered<>(answered.value(), attempts + 1, since(started));
                    }
                    case Guarded.Failed<T> failed -> {
                        attempts += failed.providerFailure().isPresent() ? 1 : 0;
                        ProviderException failure = failed.failure();
                        if (!failure.isRetryable() || ++failedAttempts >= retry.maxAttempts()
                                || !clock.instant().isBefore(windowEnd)) {
                            return new Ending.Failed<>(failure, attempts, since(started));
                        }
                        Duration backoff = RetryDelay.next(retry, attempts, failure, clock.instant(), notAfter);
                        if (plan.leave().rather(failure, backoff)) {
                            return new Ending.Failed<>(failure, attempts, since(started));
                        }
                        // Waiting to retry is waiting too: it takes a place in the room, or ends the job now.
                        Optional<ProviderException.Terminal> refused = plan.guard()
                                .flatMap(g -> g.holdForRetry(plan.jobId(), failure));
                        if (refused.isPresent()) {
                            return new Ending.Failed<>(refused.get(), attempts, since(started));
                        }
                        plan.onRetry().accept(failure);
                        pause(backoff);
                    }
                    case Guarded.Deferred<T> deferred -> {
                        attempts += deferred.providerFailure().isPresent() ? 1 : 0;
                        if (!clock.instant().isBefore(windowEnd)
                                || plan.leave().rather(deferred.failure(), deferred.retryAfter())) {
                            return new Ending.Failed<>(deferred.failure(), attempts, since(started));
                        }
                        pause(RetryDelay.within(deferred.retryAfter(), clock.instant(), notAfter));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Ending.Interrupted<>(attempts, since(started));
        } finally {
            plan.guard().ifPresent(g -> g.forget(plan.jobId()));
        }
    }

    /** One try under the attempt timeout; a timeout is a failed attempt. */
    private static <T> Guarded<T> tryOnce(Plan plan, Attempt<T> attempt, int number, Instant deadline,
                                          FailsafeExecutor<Guarded<T>> timeout) throws InterruptedException {
        try {
            return timeout.get(() -> attempt.run(number, deadline));
        } catch (TimeoutExceededException e) {
            return Guarded.failed(ProviderException.of(new ProviderException.Context(plan.jobId(), plan.provider(),
                    number), "timeout", "attempt did not finish within " + plan.retry().attemptTimeout()).retryable());
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("interrupted during a provider call");
            }
            throw e;
        }
    }

    /** Sleeps {@code wait}; throws at once when the thread is already interrupted, even for no wait. */
    private static void pause(Duration wait) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before a retry");
        }
        if (wait.isPositive()) {
            Thread.sleep(wait);
        }
    }

    private Duration since(Instant started) {
        return Duration.between(started, clock.instant());
    }
}
