package io.inferenceworker.job;

import io.inferenceworker.provider.RetryConfig;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.Timeout;
import dev.failsafe.TimeoutExceededException;
import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.guard.GuardedProvider;
import io.inferenceworker.provider.guard.LocalWait;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.registry.ProviderInstance;
import io.inferenceworker.provider.guard.WaitingRoom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls a job's provider until it answers, fails terminally, or the retry policy gives up. Failsafe does the
 * mechanics: a per-attempt {@link Timeout} (interrupting the call) inside a {@link RetryPolicy} that retries only
 * {@link ProviderException.Retryable} failures and timeouts, at most {@code max-attempts} times within the
 * {@code window}, waiting as {@link RetryDelay} says. The job's deadline is checked before every attempt.
 *
 * <p>Waits that the provider instance's own protections ask for (a {@link LocalWait}: breaker open, local rate or
 * concurrency limit) are not attempts: a second, outer policy sleeps them off for as long as the window and deadline
 * allow, and neither counts them against {@code max-attempts} nor gives them an attempt number, so an outage shorter
 * than the window dead-letters nothing.
 *
 * <p>Both kinds of wait count as waiting for the instance's {@link WaitingRoom}: a job that would have to wait while
 * the room is full fails at once with {@value LocalWait#BACKLOG_FULL} instead, whether for a local wait (decided by
 * {@link GuardedProvider}; the refused try is not an attempt) or before a retry (decided here, by the policy's
 * {@code abortIf}; the failed attempt counts, and the result carries its HTTP status). So one instance that is down
 * or limited, whether its breaker is open or it answers 429s, holds at most its share of the in-flight limit. When
 * the job ends, however it ends, its place is freed ({@link GuardedProvider#forget}).
 *
 * <p>Stateless and thread-safe; one instance serves all jobs.
 */
final class AttemptRunner {
    private final Clock clock;
    private final JobEvents events;

    AttemptRunner(Clock clock, JobEvents events) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
    }

    /**
     * @param chunks where streamed deltas go, or null when the job does not stream
     * @throws JobAbandonedException when interrupted by shutdown
     */
    Outcome run(Job job, ProviderInstance instance, ChunkStream chunks) {
        RetryConfig config = instance.retry();
        Instant started = clock.instant();
        Instant windowEnd = started.plus(config.window());
        Instant notAfter = job.deadline().filter(d -> d.isBefore(windowEnd)).orElse(windowEnd);
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger tries = new AtomicInteger();
        WaitingRoom room = instance.provider() instanceof GuardedProvider g ? g.waitingRoom() : null;
        AtomicBoolean roomFull = new AtomicBoolean();

        RetryPolicy<ChatReply> retry = RetryPolicy.<ChatReply>builder()
                .handleIf((reply, error) -> retryable(error))
                // Waiting to retry is waiting too: the job takes a place in its instance's waiting room (given up
                // when the protections let its next attempt through), or ends now when the room is full.
                .abortIf((reply, error) -> retryable(error) && room != null && !room.enter(job.id())
                        && roomFull.compareAndSet(false, true))
                .withMaxAttempts(config.maxAttempts())
                .withMaxDuration(config.window())
                .withDelay(config.initialBackoff())
                .withDelayFn(ctx -> RetryDelay.next(config, attempts.get(), ctx.getLastException(),
                        clock.instant(), notAfter))
                .onRetry(e -> events.onRetry(instance.name(), codeOf(e.getLastException())))
                .build();
        // Local waits bypass the policy above (it never sees them, so they do not use up max-attempts; Failsafe keeps
        // its count across them). This outer policy sleeps each off, as long as it asks but never past the window or
        // the deadline, while the window lasts: a try after the deadline ends as EXPIRED (see attempt), a wait still
        // asked for at the window's end ends the job with the wait's failure.
        RetryPolicy<ChatReply> localWaits = RetryPolicy.<ChatReply>builder()
                .handleIf((reply, error) -> LocalWait.of(error).isPresent() && clock.instant().isBefore(windowEnd))
                .withMaxAttempts(-1)
                .withDelayFn(ctx -> RetryDelay.next(config, 1, ctx.getLastException(), clock.instant(), notAfter))
                .build();
        Timeout<ChatReply> timeout = Timeout.<ChatReply>builder(config.attemptTimeout()).withInterrupt().build();

        try {
            ChatReply reply = Failsafe.with(localWaits).compose(retry).compose(timeout)
                    .get(() -> attempt(job, instance, attempts, tries.incrementAndGet() > 1, config, chunks));
            return new Outcome.Succeeded(job, reply, attempts.get(), since(started),
                    chunks == null ? null : attempts.get());
        } catch (DeadlineReachedException e) {
            return new Outcome.Expired(job, e.getMessage(), attempts.get() - 1, since(started));
        } catch (ProviderException e) {
            return new Outcome.Failed(job, roomFull.get() ? LocalWait.backlogFullBeforeRetry(e, room) : e,
                    attempts.get(), since(started));
        } catch (TimeoutExceededException e) {
            ProviderException timedOut = ProviderException.of(new ProviderException.Context(job.id(), instance.name(),
                    attempts.get()), "timeout", "attempt did not finish within " + config.attemptTimeout()).retryable();
            return new Outcome.Failed(job, roomFull.get() ? LocalWait.backlogFullBeforeRetry(timedOut, room)
                    : timedOut, attempts.get(), since(started));
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                throw new JobAbandonedException("interrupted during provider call", e);
            }
            throw e;
        } finally {
            if (instance.provider() instanceof GuardedProvider guarded) {
                guarded.forget(job.id());
            }
        }
    }

    /**
     * @param attempts provider calls made so far; this try counts unless the instance's protections refuse it
     * @param retrying whether an attempt or a local wait came before
     */
    private ChatReply attempt(Job job, ProviderInstance instance, AtomicInteger attempts, boolean retrying,
                              RetryConfig config, ChunkStream chunks) {
        int attempt = attempts.incrementAndGet();
        Instant now = clock.instant();
        Optional<Instant> deadline = job.deadline();
        if (retrying && deadline.isPresent() && now.isAfter(deadline.get())) {
            throw new DeadlineReachedException("deadline " + deadline.get() + " passed after " + (attempt - 1)
                    + " attempt(s); not retrying");
        }
        ChatCall call = ChatCall.of(job.id(), job.request(), attempt, now.plus(config.attemptTimeout()))
                .withTraceparent(job.traceparent())
                .withSink(chunks == null ? Optional.empty() : Optional.of(chunks.forAttempt(attempt)));
        String model = job.model() == null ? "default" : job.model();
        long t0 = System.nanoTime();
        try {
            ChatReply reply = instance.provider().complete(call);
            events.onAttempt(instance.name(), model, "ok", 200, Duration.ofNanos(System.nanoTime() - t0));
            return reply;
        } catch (ProviderException e) {
            // A wait, or a wait refused because the waiting room is full.
            Optional<LocalWait> wait = LocalWait.behind(e);
            if (wait.isPresent() && !wait.get().providerCalled()) {
                attempts.decrementAndGet(); // refused before any call: not an attempt, and its number is reused
                throw e;
            }
            ProviderException failure = wait.flatMap(LocalWait::providerFailure).orElse(e);
            events.onAttempt(instance.name(), model, failure.code(), failure.httpStatus().orElse(null),
                    Duration.ofNanos(System.nanoTime() - t0));
            throw e;
        }
    }

    /** What the attempt policy retries: provider failures worth another attempt (not local waits), timeouts. */
    private static boolean retryable(Throwable error) {
        return error instanceof ProviderException.Retryable && LocalWait.of(error).isEmpty()
                || error instanceof TimeoutExceededException;
    }

    private Duration since(Instant started) {
        return Duration.between(started, clock.instant());
    }

    private static String codeOf(Throwable t) {
        return t instanceof ProviderException p ? p.code() : "timeout";
    }

    /** The job's deadline passed between attempts. */
    static final class DeadlineReachedException extends RuntimeException {
        DeadlineReachedException(String message) {
            super(message);
        }
    }
}
