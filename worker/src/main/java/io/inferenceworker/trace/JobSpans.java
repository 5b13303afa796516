package io.inferenceworker.trace;

import io.inferenceworker.job.Job;
import io.inferenceworker.job.JobTrace;
import io.inferenceworker.job.RequestRecord;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.guard.Guarded;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The spans of one job (see the package documentation for the tree) and its logging context.
 *
 * <p>Confined to the job's thread, except {@link #outputHeaders}, which reads the span contexts only.
 */
final class JobSpans implements JobTrace {
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> PARTITION =
            AttributeKey.stringKey("messaging.destination.partition.id");
    private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    private static final AttributeKey<String> GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    /** Statuses that end a job's span in error; {@code expired} is not one: the deadline was the requester's. */
    private static final Set<String> ERRORS = Set.of("failed", "invalid", "undecodable", "publish_failed");

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final boolean includeContent;
    private final Span job;
    private final Context jobContext;
    private Job decoded;
    private Span attempt;
    private String retryReason;
    private volatile Context publishContext;
    private Span publish;
    private boolean ended;

    private JobSpans(Tracer tracer, TextMapPropagator propagator, boolean includeContent, Span job, Context context) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.includeContent = includeContent;
        this.job = job;
        this.jobContext = context;
    }

    /** Opens the job's {@code process} span, child of the request's trace context when it has one. */
    static JobSpans start(Tracer tracer, TextMapPropagator propagator, RequestRecord record, boolean includeContent,
                          Clock clock) {
        Context parent = propagator.extract(Context.root(), record.raw().headers(), KafkaHeadersCarrier.INSTANCE);
        Instant now = clock.instant();
        Span span = tracer.spanBuilder("process " + record.raw().topic())
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setStartTimestamp(now)
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(OPERATION_TYPE, "process")
                .setAttribute(DESTINATION, record.raw().topic())
                .setAttribute(PARTITION, String.valueOf(record.raw().partition()))
                .setAttribute(OFFSET, record.raw().offset())
                .setAttribute(GROUP, record.groupId())
                .setAttribute(GenAiAttributes.QUEUE_SECONDS, seconds(record.age(now)))
                .startSpan();
        LogContext.span(span.getSpanContext());
        return new JobSpans(tracer, propagator, includeContent, span, parent.with(span));
    }

    @Override
    public void decoded(Job job) {
        this.decoded = job;
        String tenant = job.request().getTenant();
        this.job.setAttribute(GenAiAttributes.JOB_ID, job.id());
        if (tenant != null) {
            this.job.setAttribute(GenAiAttributes.TENANT, tenant);
        }
        this.job.setAttribute(GenAiAttributes.INSTANCE, job.provider());
        LogContext.job(job.id(), tenant, job.provider(), job.model() == null ? "default" : job.model());
    }

    @Override
    public Optional<String> attemptStarted(int number, String instance, String dialect, String model) {
        endAttempt();
        SpanBuilder builder = tracer.spanBuilder("chat " + model)
                .setParent(jobContext)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(GenAiAttributes.PROVIDER, dialect)
                .setAttribute(GenAiAttributes.INSTANCE, instance)
                .setAttribute(GenAiAttributes.ATTEMPT, (long) number);
        if (decoded != null) {
            GenAiAttributes.request(builder, decoded.request(), model);
            if (includeContent) {
                builder.setAttribute(GenAiAttributes.INPUT_MESSAGES, decoded.request().getMessages().toString());
            }
        }
        if (retryReason != null) {
            builder.setAttribute(GenAiAttributes.RETRY_REASON, retryReason);
        }
        attempt = builder.startSpan();
        LogContext.span(attempt.getSpanContext());
        Map<String, String> carrier = new HashMap<>(4);
        propagator.inject(jobContext.with(attempt), carrier, (map, key, value) -> map.put(key, value));
        return Optional.ofNullable(carrier.get(Job.TRACEPARENT));
    }

    @Override
    public void attemptEnded(Guarded<ChatReply> outcome) {
        if (attempt == null) {
            return;
        }
        switch (outcome) {
            case Guarded.Answered<ChatReply> answered -> {
                GenAiAttributes.reply(attempt, answered.value(), includeContent);
                retryReason = null;
            }
            case Guarded.Failed<ChatReply> failed -> {
                failure(failed.failure());
                attempt.setAttribute(GenAiAttributes.RETRYABLE, failed.failure().isRetryable());
                retryReason = failed.failure().code();
            }
            case Guarded.Deferred<ChatReply> deferred -> {
                deferred.providerFailure().ifPresent(this::failure);
                attempt.setAttribute(GenAiAttributes.DEFERRED, deferred.code());
                attempt.setAttribute(GenAiAttributes.WAIT_SECONDS, seconds(deferred.retryAfter()));
                retryReason = deferred.code();
            }
        }
        endAttempt();
    }

    @Override
    public void publishing(String topic) {
        endAttempt();
        if (publish == null) {
            publish = tracer.spanBuilder("send " + topic)
                    .setParent(jobContext)
                    .setSpanKind(SpanKind.PRODUCER)
                    .setAttribute(SYSTEM, "kafka")
                    .setAttribute(OPERATION_TYPE, "send")
                    .setAttribute(DESTINATION, topic)
                    .startSpan();
            publishContext = jobContext.with(publish);
        }
    }

    @Override
    public Headers outputHeaders() {
        Headers headers = new RecordHeaders();
        Context context = publishContext;
        propagator.inject(context == null ? jobContext : context, headers, KafkaHeadersCarrier.INSTANCE);
        return headers;
    }

    @Override
    public void ended(String status, Optional<String> error) {
        endAttempt();
        if (publish != null) {
            publish.end();
        }
        job.setAttribute(GenAiAttributes.JOB_STATUS, status);
        if (ERRORS.contains(status)) {
            job.setStatus(StatusCode.ERROR, error.orElse(status));
            job.setAttribute(GenAiAttributes.ERROR_TYPE, status);
        }
        job.end();
        ended = true;
    }

    @Override
    public void close() {
        try {
            if (!ended) {
                // Interrupted at shutdown, or ended by a bug: the record is replayed or dead-lettered elsewhere.
                endAttempt();
                if (publish != null) {
                    publish.end();
                }
                job.setAttribute(GenAiAttributes.JOB_STATUS, "abandoned");
                job.end();
                ended = true;
            }
        } finally {
            LogContext.clear();
        }
    }

    private void failure(ProviderException failure) {
        attempt.setStatus(StatusCode.ERROR, failure.getMessage());
        attempt.setAttribute(GenAiAttributes.ERROR_TYPE, failure.code());
        failure.httpStatus().ifPresent(status -> attempt.setAttribute(GenAiAttributes.HTTP_STATUS, (long) status));
    }

    private void endAttempt() {
        if (attempt != null) {
            attempt.end();
            attempt = null;
            LogContext.span(job.getSpanContext());
        }
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
