package io.inferenceworker.provider;

import io.inferenceworker.schemas.CompletionRequest;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One attempt of one job against one provider.
 *
 * @param jobId        the job, for error context and idempotency headers
 * @param request      the decoded request
 * @param attempt      1-based attempt number
 * @param deadline     when this attempt must give up (the per-attempt timeout, capped by the job's deadline and
 *                     retry window); adapters that poll (NVIDIA 202) stop polling at this instant
 * @param traceparent  W3C trace context from the request record, forwarded as the {@code traceparent} header
 * @param sink         where streamed deltas go; empty when the job does not stream
 */
public record ChatCall(
        String jobId,
        CompletionRequest request,
        int attempt,
        Instant deadline,
        Optional<String> traceparent,
        Optional<DeltaSink> sink) {

    public ChatCall {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(traceparent, "traceparent");
        Objects.requireNonNull(sink, "sink");
    }

    /** Attempt {@code attempt} of job {@code jobId}, due by {@code deadline}; no trace context, not streamed. */
    public static ChatCall of(String jobId, CompletionRequest request, int attempt, Instant deadline) {
        return new ChatCall(jobId, request, attempt, deadline, Optional.empty(), Optional.empty());
    }

    /** This call with the W3C trace context {@code traceparent} (none when empty). */
    public ChatCall withTraceparent(Optional<String> value) {
        return new ChatCall(jobId, request, attempt, deadline, value, sink);
    }

    /** This call streaming its deltas into {@code target} (not streamed when empty). */
    public ChatCall withSink(Optional<DeltaSink> target) {
        return new ChatCall(jobId, request, attempt, deadline, traceparent, target);
    }

    /** This call, due by {@code due} instead. */
    public ChatCall withDeadline(Instant due) {
        return new ChatCall(jobId, request, attempt, due, traceparent, sink);
    }

    /** This call, sending {@code replacement} instead (e.g. after a dialect normalised it). */
    public ChatCall withRequest(CompletionRequest replacement) {
        return new ChatCall(jobId, replacement, attempt, deadline, traceparent, sink);
    }

    /** The context errors of this attempt carry. */
    public ProviderException.Context context(String provider) {
        return new ProviderException.Context(jobId, provider, attempt);
    }
}
