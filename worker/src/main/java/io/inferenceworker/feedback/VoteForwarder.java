package io.inferenceworker.feedback;

import io.inferenceworker.provider.CompletionRater;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.RetryConfig;
import io.inferenceworker.provider.guard.AttemptLoop;
import io.inferenceworker.provider.guard.Guarded;
import io.inferenceworker.provider.registry.ProviderInstance;
import io.inferenceworker.provider.registry.ProviderRegistry;
import io.inferenceworker.schemas.Vote;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a vote to the provider that served its job, when that provider has a rating API
 * ({@link CompletionRater}).
 *
 * <p>What needs no call is decided at once, and the returned future is already done: a job that did not succeed
 * ({@code JOB_NOT_SUCCEEDED}), a provider without rating API ({@code NOT_SUPPORTED}), a provider instance this worker
 * does not have or a result without response ID ({@code FAILED}, 0 attempts). Otherwise the call runs on its own
 * virtual thread in the same retry loop as completions ({@link AttemptLoop}) under the provider instance's
 * {@link RetryConfig}: only {@link ProviderException.Retryable} failures and attempt timeouts are retried, at most
 * {@code max-attempts} times within {@code window}, each attempt at most {@code attempt-timeout} (interrupted past
 * it), waiting the provider's retry hint or else exponential backoff with full jitter, never past the window. The
 * future never fails: every ending is a {@link ForwardOutcome}. Cancelling it interrupts the call.
 *
 * <p>Rating calls do <b>not</b> pass the instance's protections (no {@code ProviderGuard} in the loop's plan): a vote
 * is a small call to another endpoint, made long after its job, and must neither take a concurrency or rate permit
 * from the instance's jobs, nor wait in (or fill) their waiting room, nor move the breaker that guards completions
 * (a rating failure, such as an unknown response ID, says nothing about the chat endpoint).
 *
 * <p>Thread-safe. {@link #close()} interrupts the calls still running.
 */
final class VoteForwarder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VoteForwarder.class);

    private final ProviderRegistry providers;
    private final Function<ProviderInstance, Optional<CompletionRater>> raters;
    private final AttemptLoop loop;
    private final ExecutorService calls =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("vote-forward-", 0).factory());

    /**
     * @param raters the rating API of an instance, if it has one (see {@link Raters#of(ProviderInstance)})
     */
    VoteForwarder(ProviderRegistry providers, Function<ProviderInstance, Optional<CompletionRater>> raters,
                  Clock clock) {
        this.providers = Objects.requireNonNull(providers, "providers");
        this.raters = Objects.requireNonNull(raters, "raters");
        this.loop = new AttemptLoop(Objects.requireNonNull(clock, "clock"));
    }

    /** Starts forwarding {@code vote} on the job with {@code facts}; see the class comment. */
    Future<ForwardOutcome> forward(String jobId, JobFacts facts, Vote vote) {
        if (!facts.succeeded()) {
            return CompletableFuture.completedFuture(new ForwardOutcome.JobNotSucceeded(facts.status()));
        }
        Optional<ProviderInstance> instance = providers.find(facts.provider());
        if (instance.isEmpty()) {
            return CompletableFuture.completedFuture(new ForwardOutcome.Failed(0, "provider instance '"
                    + facts.provider() + "' is not configured on this worker"));
        }
        Optional<CompletionRater> rater = raters.apply(instance.get());
        if (rater.isEmpty()) {
            return CompletableFuture.completedFuture(new ForwardOutcome.NotSupported("provider instance '"
                    + instance.get().name() + "' (type " + instance.get().settings().getType()
                    + ") has no rating API"));
        }
        if (facts.responseId() == null || facts.responseId().isBlank()) {
            return CompletableFuture.completedFuture(new ForwardOutcome.Failed(0,
                    "the job's result has no provider response ID to rate"));
        }
        return calls.submit(() -> rate(jobId, instance.get(), rater.get(), facts.responseId(), vote == Vote.UP));
    }

    private ForwardOutcome rate(String jobId, ProviderInstance instance, CompletionRater rater, String responseId,
                                boolean up) {
        AttemptLoop.Plan plan = AttemptLoop.Plan.of(jobId, instance.name(), instance.retry())
                .withOnRetry(failure -> LOG.debug("Forwarding the vote on job {} to {} failed, retrying: {}", jobId,
                        instance.name(), String.valueOf(failure)));
        AttemptLoop.Ending<Boolean> ending;
        try {
            ending = loop.run(plan, (attempt, deadline) -> Guarded.of(() -> {
                rater.rate(responseId, up, new ProviderException.Context(jobId, instance.name(), attempt));
                return Boolean.TRUE;
            }));
        } catch (RuntimeException e) {
            LOG.error("Rating API of provider {} failed unexpectedly on job {}", instance.name(), jobId, e);
            return new ForwardOutcome.Failed(0, "internal error: " + e.getClass().getName());
        }
        int attempts = ending.attempts();
        return switch (ending) {
            case AttemptLoop.Ending.Answered<Boolean> a -> new ForwardOutcome.Forwarded(attempts);
            case AttemptLoop.Ending.Failed<Boolean> f -> new ForwardOutcome.Failed(attempts, f.failure().code()
                    + f.failure().httpStatus().map(s -> " (HTTP " + s + ")").orElse("") + " after " + attempts
                    + " attempt(s): " + f.failure().getMessage());
            // No deadline in the plan, so only for completeness.
            case AttemptLoop.Ending.Expired<Boolean> e -> new ForwardOutcome.Failed(attempts, e.reason());
            // Shutdown, or the vote's task moved: the outcome is discarded and the vote redone.
            case AttemptLoop.Ending.Interrupted<Boolean> i -> new ForwardOutcome.Failed(attempts,
                    "interrupted after " + attempts + " attempt(s)");
        };
    }

    @Override
    public void close() {
        calls.shutdownNow();
        try {
            calls.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
