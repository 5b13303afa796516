package io.inferenceworker.trace;

import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.schemas.Choice;
import io.inferenceworker.schemas.CompletionRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.Span;
import java.util.List;
import java.util.Objects;

/**
 * The attributes of a {@code chat} span, after OpenTelemetry's GenAI semantic conventions (spans of a model call,
 * {@code gen_ai.*}), plus the worker's own under {@code inference.*}. Keys are written out rather than taken from
 * the incubating semantic-conventions artifact: the GenAI names are still in development there and move between its
 * releases.
 */
final class GenAiAttributes {
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<Long> MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
    static final AttributeKey<Double> TEMPERATURE = AttributeKey.doubleKey("gen_ai.request.temperature");
    static final AttributeKey<Double> TOP_P = AttributeKey.doubleKey("gen_ai.request.top_p");
    static final AttributeKey<Long> SEED = AttributeKey.longKey("gen_ai.request.seed");
    static final AttributeKey<Long> CHOICE_COUNT = AttributeKey.longKey("gen_ai.request.choice.count");
    static final AttributeKey<String> RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<List<String>> FINISH_REASONS =
            AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
    static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

    static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("inference.job.id");
    static final AttributeKey<String> TENANT = AttributeKey.stringKey("inference.tenant");
    static final AttributeKey<String> JOB_STATUS = AttributeKey.stringKey("inference.job.status");
    static final AttributeKey<Double> QUEUE_SECONDS = AttributeKey.doubleKey("inference.queue.duration");
    static final AttributeKey<String> INSTANCE = AttributeKey.stringKey("inference.provider.instance");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("inference.attempt");
    static final AttributeKey<String> RETRY_REASON = AttributeKey.stringKey("inference.retry.reason");
    static final AttributeKey<Boolean> RETRYABLE = AttributeKey.booleanKey("inference.retryable");
    static final AttributeKey<String> DEFERRED = AttributeKey.stringKey("inference.deferred.reason");
    static final AttributeKey<Double> WAIT_SECONDS = AttributeKey.doubleKey("inference.wait.duration");
    static final AttributeKey<Boolean> USAGE_ESTIMATED = AttributeKey.booleanKey("inference.usage.estimated");
    static final AttributeKey<String> PROVIDER_REQUEST_ID = AttributeKey.stringKey("inference.provider.request_id");

    private GenAiAttributes() {
    }

    /** The request's model and sampling parameters, as the conventions name them. */
    static SpanBuilder request(SpanBuilder span, CompletionRequest request, String model) {
        span.setAttribute(OPERATION, "chat").setAttribute(REQUEST_MODEL, model);
        setIfPresent(span, MAX_TOKENS, request.getMaxTokens() == null ? null : request.getMaxTokens().longValue());
        setIfPresent(span, TEMPERATURE, request.getTemperature());
        setIfPresent(span, TOP_P, request.getTopP());
        setIfPresent(span, SEED, request.getSeed());
        setIfPresent(span, CHOICE_COUNT, request.getN() == null ? null : request.getN().longValue());
        return span;
    }

    /** What the provider answered: response ID and model, finish reasons, usage. */
    static void reply(Span span, ChatReply reply, boolean includeContent) {
        span.setAttribute(HTTP_STATUS, 200L);
        if (reply.responseId() != null) {
            span.setAttribute(RESPONSE_ID, reply.responseId());
        }
        if (reply.model() != null) {
            span.setAttribute(RESPONSE_MODEL, reply.model());
        }
        if (reply.providerRequestId() != null) {
            span.setAttribute(PROVIDER_REQUEST_ID, reply.providerRequestId());
        }
        List<String> reasons = reply.choices().stream().map(Choice::getFinishReason).filter(Objects::nonNull)
                .map(Object::toString).toList();
        if (!reasons.isEmpty()) {
            span.setAttribute(FINISH_REASONS, reasons);
        }
        if (reply.usage() != null) {
            span.setAttribute(INPUT_TOKENS, (long) reply.usage().getPromptTokens());
            span.setAttribute(OUTPUT_TOKENS, (long) reply.usage().getCompletionTokens());
            if (Boolean.TRUE.equals(reply.usage().getEstimated())) {
                span.setAttribute(USAGE_ESTIMATED, true);
            }
        }
        if (includeContent) {
            span.setAttribute(OUTPUT_MESSAGES, reply.choices().toString());
        }
    }

    private static <T> void setIfPresent(SpanBuilder span, AttributeKey<T> key, T value) {
        if (value != null) {
            span.setAttribute(key, value);
        }
    }
}
