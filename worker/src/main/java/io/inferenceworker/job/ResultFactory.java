package io.inferenceworker.job;

import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.registry.ProviderInstance;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.CompletionStatus;
import io.inferenceworker.schemas.ErrorInfo;
import io.inferenceworker.schemas.RouteHop;
import io.inferenceworker.schemas.Timings;
import io.inferenceworker.schemas.Usage;
import io.inferenceworker.schemas.UsageRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Turns an outcome into the records the contracts promise: always one {@code CompletionResult}, and a
 * {@code UsageRecord} for a success. A {@code switch} over the sealed {@link Outcome} keeps every status in one place.
 */
final class ResultFactory {
    private final String workerId;
    private final Clock clock;

    ResultFactory(String workerId, Clock clock) {
        this.workerId = Objects.requireNonNull(workerId, "workerId");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    CompletionResult result(Outcome outcome, String defaultModel) {
        Job job = outcome.job();
        Instant now = clock.instant();
        CompletionResult.Builder result = CompletionResult.newBuilder()
                .setJobId(job.id())
                .setProvider(job.provider())
                .setModel(job.model() != null ? job.model() : defaultModel)
                .setAttempts(outcome.attempts())
                .setTimings(timings(job, outcome.providerTime(), now))
                .setWorkerId(workerId)
                .setMetadata(job.request().getMetadata())
                .setCompletedAt(now);
        if (job.routing().routed()) {
            result.setRoute(job.routing().route()).setHops(hops(outcome, defaultModel));
        }
        switch (outcome) {
            case Outcome.Succeeded s -> {
                ChatReply reply = s.reply();
                result.setStatus(CompletionStatus.SUCCEEDED)
                        .setResponseId(reply.responseId())
                        .setProviderRequestId(reply.providerRequestId())
                        .setChoices(reply.choices())
                        .setUsage(reply.usage())
                        .setStreamAttempt(s.streamAttempt())
                        .setSystemFingerprint(reply.systemFingerprint());
                if (reply.model() != null) {
                    result.setModel(reply.model());
                }
            }
            case Outcome.Failed f -> {
                ProviderException e = f.cause();
                result.setStatus(CompletionStatus.FAILED)
                        .setProviderRequestId(e.providerRequestId().orElse(null))
                        .setError(new ErrorInfo(e.code(), e.getMessage(), e.httpStatus().orElse(null),
                                e.isRetryable(), e.providerRequestId().orElse(null)));
            }
            case Outcome.Expired x -> result.setStatus(CompletionStatus.EXPIRED)
                    .setError(new ErrorInfo("expired", x.reason(), null, false, null));
            case Outcome.Invalid i -> result.setStatus(CompletionStatus.INVALID)
                    .setError(new ErrorInfo("invalid_request", i.reason(), null, false, null));
        }
        return result.build();
    }

    Optional<UsageRecord> usage(Outcome outcome, ProviderInstance instance) {
        if (!(outcome instanceof Outcome.Succeeded s)) {
            return Optional.empty();
        }
        Job job = outcome.job();
        Usage usage = s.reply().usage() != null ? s.reply().usage() : new Usage(0, 0, 0, null, null, null);
        String model = s.reply().model() != null ? s.reply().model() : job.model();
        OptionalDouble cost = instance.prices().estimate(model, usage);
        return Optional.of(UsageRecord.newBuilder()
                .setJobId(job.id())
                .setTenant(job.request().getTenant())
                .setProvider(job.provider())
                .setModel(model)
                .setPromptTokens(usage.getPromptTokens())
                .setCompletionTokens(usage.getCompletionTokens())
                .setTotalTokens(usage.getTotalTokens())
                .setReasoningTokens(usage.getReasoningTokens())
                .setCachedTokens(usage.getCachedTokens())
                .setEstimated(usage.getEstimated())
                .setAttempts(s.attempts())
                .setLatencyMs(s.providerTime().toMillis())
                .setEstimatedCost(cost.isPresent() ? cost.getAsDouble() : null)
                .setCurrency(cost.isPresent() ? instance.prices().currency() : null)
                .setMetadata(job.request().getMetadata())
                .setRecordedAt(clock.instant())
                .build());
    }

    /** The hops left, then the one the job ended on (its attempts: the outcome's less those of the hops left). */
    private static List<RouteHop> hops(Outcome outcome, String defaultModel) {
        Job job = outcome.job();
        List<RouteHop> hops = new ArrayList<>();
        for (Routing.LeftHop left : job.routing().left()) {
            hops.add(new RouteHop(left.provider(), left.model(), left.status(), left.attempts(), left.errorCode()));
        }
        CompletionStatus status = switch (outcome) {
            case Outcome.Succeeded s -> CompletionStatus.SUCCEEDED;
            case Outcome.Failed f -> CompletionStatus.FAILED;
            case Outcome.Expired x -> CompletionStatus.EXPIRED;
            case Outcome.Invalid i -> CompletionStatus.INVALID;
        };
        String code = switch (outcome) {
            case Outcome.Succeeded s -> null;
            case Outcome.Failed f -> f.cause().code();
            case Outcome.Expired x -> "expired";
            case Outcome.Invalid i -> "invalid_request";
        };
        hops.add(new RouteHop(job.provider(), job.model() != null ? job.model() : defaultModel, status,
                outcome.attempts() - job.routing().attemptsBefore(), code));
        return hops;
    }

    private static Timings timings(Job job, Duration providerTime, Instant now) {
        Instant produced = Instant.ofEpochMilli(job.source().raw().timestamp());
        Instant received = job.source().receivedAt();
        long queued = Math.max(0, Duration.between(produced, received).toMillis());
        long total = Math.max(0, Duration.between(produced, now).toMillis());
        return new Timings(queued, providerTime.toMillis(), total);
    }

}
