package io.inferenceworker.job;

import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.guard.AttemptLoop;
import io.inferenceworker.provider.guard.Guarded;
import io.inferenceworker.provider.guard.ProviderGuard;
import io.inferenceworker.provider.registry.ProviderInstance;
import io.inferenceworker.route.Route;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs a job's provider attempts: the instance's {@link AttemptLoop} through its {@link ProviderGuard}, with the
 * job's deadline, one {@link ChatCall} per try (streaming to the attempt's chunks), attempt and retry metrics, and
 * the loop's ending as the job's {@link Outcome}. The retry, wait and waiting-room rules are the loop's.
 *
 * <p>Stateless and thread-safe; one instance serves all jobs.
 */
final class AttemptRunner {
    private final AttemptLoop loop;
    private final JobEvents events;

    AttemptRunner(Clock clock, JobEvents events) {
        this.loop = new AttemptLoop(Objects.requireNonNull(clock, "clock"));
        this.events = Objects.requireNonNull(events, "events");
    }

    /**
     * @param movingOn the job's route when this is a hop it may move on from (not its last): the hop's attempts are
     *                 capped by the route and end early rather than wait when the route says so
     * @param chunks   where streamed deltas go, or null when the job does not stream
     * @param trace    the job's trace: a span per try, and the trace context sent to the provider
     * @return the outcome, its attempts and provider time counted over the route's earlier hops too
     * @throws JobAbandonedException when interrupted by shutdown
     */
    Outcome run(Job job, ProviderInstance instance, Optional<Route> movingOn, ChunkStream chunks, JobTrace trace) {
        ProviderGuard guard = instance.guard();
        String model = job.model() == null ? "default" : job.model();
        // A new hop is like a new attempt: its attempt numbers go on from the last hop's, so its chunks restart
        // their sequence under a higher attempt number, which consumers already know to prefer.
        int before = job.routing().attemptsBefore();
        Duration timeBefore = job.routing().providerTimeBefore();
        AttemptLoop.Plan plan = AttemptLoop.Plan.of(job.id(), instance.name(),
                        movingOn.map(r -> r.retryOn(instance.retry())).orElse(instance.retry()))
                .withDeadline(job.deadline())
                .withGuard(guard)
                .withOnRetry(failure -> events.onRetry(instance.name(), failure.code()))
                .withLeave(movingOn.<AttemptLoop.Leave>map(r -> r::leavesRatherThanWait)
                        .orElse(AttemptLoop.Leave.NEVER));
        AttemptLoop.Ending<ChatReply> ending = loop.run(plan, (hopAttempt, deadline) -> {
            int attempt = before + hopAttempt;
            ChatCall call = ChatCall.of(job.id(), job.request(), attempt, deadline)
                    .withTraceparent(trace.attemptStarted(attempt, instance.name(), instance.settings().getType(),
                            model))
                    .withSink(chunks == null ? Optional.empty() : Optional.of(chunks.forAttempt(attempt)));
            long started = System.nanoTime();
            Guarded<ChatReply> outcome = guard.call(call);
            trace.attemptEnded(outcome);
            record(instance.name(), model, outcome, Duration.ofNanos(System.nanoTime() - started));
            return outcome;
        });
        return switch (ending) {
            case AttemptLoop.Ending.Answered<ChatReply> a -> new Outcome.Succeeded(job, a.value(),
                    before + a.attempts(), timeBefore.plus(a.elapsed()), chunks == null ? null : before + a.attempts());
            case AttemptLoop.Ending.Failed<ChatReply> f -> new Outcome.Failed(job, f.failure(), before + f.attempts(),
                    timeBefore.plus(f.elapsed()));
            case AttemptLoop.Ending.Expired<ChatReply> e -> new Outcome.Expired(job, e.reason(), before + e.attempts(),
                    timeBefore.plus(e.elapsed()));
            case AttemptLoop.Ending.Interrupted<ChatReply> i ->
                    throw new JobAbandonedException("interrupted during provider call", null);
        };
    }

    /** Reports a try that called the provider (tries refused before any call are not attempts). */
    private void record(String instance, String model, Guarded<ChatReply> outcome, Duration latency) {
        switch (outcome) {
            case Guarded.Answered<ChatReply> a -> events.onAttempt(instance, model, "ok", 200, latency);
            case Guarded.Failed<ChatReply> f -> f.providerFailure().ifPresent(e -> events.onAttempt(instance, model,
                    e.code(), e.httpStatus().orElse(null), latency));
            case Guarded.Deferred<ChatReply> d -> d.providerFailure().ifPresent(e -> events.onAttempt(instance, model,
                    e.code(), e.httpStatus().orElse(null), latency));
        }
    }
}
