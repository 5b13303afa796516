package io.inferenceworker.feedback;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.Timeout;
import dev.failsafe.TimeoutExceededException;
import io.inferenceworker.provider.RetryConfig;
import io.inferenceworker.provider.CompletionRater;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.registry.ProviderInstance;
import io.inferenceworker.provider.registry.ProviderRegistry;
import io.inferenceworker.schemas.Vote;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * virtual thread under the same retry policy as completions, the provider instance's {@link RetryConfig} with
 * Failsafe: only {@link ProviderException.Retryable} failures and attempt timeouts are retried, at most
 * {@code max-attempts} times within {@code window}, each attempt at most {@code attempt-timeout} (interrupted past
 * it), waiting the provider's retry hint or else exponential backoff with full jitter, never past the window. The
 * future never fails: every ending is a {@link ForwardOutcome}. Cancelling it interrupts the call.
 *
 * <p>Thread-safe. {@link #close()} interrupts the calls still running.
 */
final class VoteForwarder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VoteForwarder.class);

    private final ProviderRegistry providers;
    private final Function<ProviderInstance, Optional<CompletionRater>> raters;
    private final Clock clock;
    private final ExecutorService calls =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("vote-forward-", 0).factory());

    /**
     * @param raters the rating API of an instance, if it has one (see {@link Raters#of(ProviderInstance)})
     */
    VoteForwarder(ProviderRegistry providers, Function<ProviderInstance, Optional<CompletionRater>> raters,
                  Clock clock) {
        this.providers = Objects.requireNonNull(providers, "providers");
        this.raters = Objects.requireNonNull(raters, "raters");
        this.clock = Objects.requireNonNull(clock, "clock");
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
        RetryConfig config = instance.retry();
        Instant notAfter = clock.instant().plus(config.window());
        AtomicInteger attempts = new AtomicInteger();
        RetryPolicy<Object> retry = RetryPolicy.builder()
                .handleIf((result, error) -> error instanceof ProviderException.Retryable
                        || error instanceof TimeoutExceededException)
                .withMaxAttempts(config.maxAttempts())
                .withMaxDuration(config.window())
                .withDelay(config.initialBackoff())
                .withDelayFn(ctx -> delay(config, ctx.getAttemptCount(), ctx.getLastException(), notAfter))
                .onRetry(e -> LOG.debug("Forwarding the vote on job {} to {} failed, retrying (attempt {}): {}",
                        jobId, instance.name(), e.getAttemptCount(), String.valueOf(e.getLastException())))
                .build();
        Timeout<Object> timeout = Timeout.builder(config.attemptTimeout()).withInterrupt().build();
        try {
            Failsafe.with(retry).compose(timeout).run(() -> rater.rate(responseId, up,
                    new ProviderException.Context(jobId, instance.name(), attempts.incrementAndGet())));
            return new ForwardOutcome.Forwarded(attempts.get());
        } catch (ProviderException e) {
            return new ForwardOutcome.Failed(attempts.get(), e.code()
                    + e.httpStatus().map(s -> " (HTTP " + s + ")").orElse("") + " after " + attempts.get()
                    + " attempt(s): " + e.getMessage());
        } catch (TimeoutExceededException e) {
            return new ForwardOutcome.Failed(attempts.get(), "timeout after " + attempts.get()
                    + " attempt(s): an attempt did not finish within " + config.attemptTimeout());
        } catch (FailsafeException e) {
            // Interrupted (shutdown, or the vote's task moved): the outcome is discarded and the vote redone.
            return new ForwardOutcome.Failed(attempts.get(), "interrupted after " + attempts.get() + " attempt(s)");
        } catch (RuntimeException e) {
            LOG.error("Rating API of provider {} failed unexpectedly on job {}", instance.name(), jobId, e);
            return new ForwardOutcome.Failed(attempts.get(), "internal error after " + attempts.get()
                    + " attempt(s): " + e.getClass().getName());
        }
    }

    /** The provider's hint, else full jitter up to {@code min(max-backoff, initial * 2^(n-1))}; within the window. */
    private Duration delay(RetryConfig config, int retry, Throwable failure, Instant notAfter) {
        Duration wait = failure instanceof ProviderException.Retryable r && r.retryAfter().isPresent()
                ? r.retryAfter().get()
                : Duration.ofMillis(ThreadLocalRandom.current().nextLong(Math.min(config.maxBackoff().toMillis(),
                        config.initialBackoff().toMillis() << Math.min(Math.max(retry - 1, 0), 30)) + 1));
        Duration remaining = Duration.between(clock.instant(), notAfter);
        if (remaining.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(remaining) > 0 ? remaining : wait;
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
