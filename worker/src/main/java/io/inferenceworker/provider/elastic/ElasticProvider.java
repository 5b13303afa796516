package io.inferenceworker.provider.elastic;

import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.compat.OpenAiCompatibleClient;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.transport.ProviderTransport;
import io.inferenceworker.provider.compat.StatusPolicy;
import io.inferenceworker.schemas.CompletionRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The Elasticsearch inference API (8.18+): {@code POST {base-url}/_inference/chat_completion/{inference_id}/_stream}
 * with {@code Authorization: ApiKey <key>}, {@code Accept: text/event-stream} and {@code X-Opaque-Id: <job ID>}.
 *
 * <p><b>Inference ID</b>: the job's {@code model}, else the instance's {@code default-model}; one of them is
 * required. It is checked to be a plain ID before it goes into the path. The body's {@code model} is
 * {@code options.service-model} or absent (see {@link ElasticOptions}); {@code ?timeout=} follows
 * {@code options.timeout}, by default the time left until the attempt's deadline.
 *
 * <p><b>Streaming only</b>: Elasticsearch answers with events, each a U+FEFF, {@code event: message},
 * {@code data: <chunk>} and a blank line, ending with {@code [DONE]} in the same framing. They are assembled into
 * one reply (tool-call fragments merged by index, usage from the last chunk with its cached and reasoning tokens);
 * a streaming job also receives every delta. What the request may carry is in {@link ElasticRequestRules}; how the
 * exchange differs from OpenAI's is in {@link ElasticChatWire}.
 *
 * <p><b>Errors</b>: before the stream, the HTTP status is the error's, with an {@code event: error} body
 * ({@code {"error": {code, message, param, type}}}) or, for request-parsing and authentication failures, the
 * classic Elasticsearch JSON; both are classified by the status: the {@linkplain StatusPolicy#defaults() defaults}
 * (404 for an unknown inference ID and 400 are terminal, 408, 429 and 5xx retryable, with {@code retry-after}
 * honoured), except a 429 of type or code {@code insufficient_quota}, a terminal {@code insufficient_credit}. In the
 * stream, an error event replaces {@code [DONE]} under status 200: a retryable {@code stream_error} unless its code
 * names a client-side condition (see {@link #STATUSES}). The provider request ID is Elastic Cloud's
 * {@code X-Cloud-Request-Id}, else the echoed {@code X-Opaque-Id}. Thread-safe.
 */
final class ElasticProvider implements ChatProvider {
    static final String TYPE = "elastic";
    static final String STREAM_PATH = "/_inference/chat_completion/%s/_stream";
    /**
     * The defaults, the shared {@link StatusPolicy#INSUFFICIENT_QUOTA} override, and the codes of in-stream error
     * events: Elasticsearch's status names, or the codes of an OpenAI-compatible service behind the endpoint, passed
     * through. Only a code naming a client-side (4xx) condition is classified as that status; any other, server-side
     * ones included, leaves the error a retryable {@code stream_error}: the answer broke off after it started, and
     * another attempt usually succeeds.
     */
    static final StatusPolicy STATUSES = StatusPolicy.defaults()
            .with(StatusPolicy.INSUFFICIENT_QUOTA)
            .withStreamCode("bad_request", 400)
            .withStreamCode("unauthorized", 401)
            .withStreamCode("payment_required", 402)
            .withStreamCode("forbidden", 403)
            .withStreamCode("not_found", 404)
            .withStreamCode("method_not_allowed", 405)
            .withStreamCode("request_timeout", 408)
            .withStreamCode("conflict", 409)
            .withStreamCode("request_entity_too_large", 413)
            .withStreamCode("unprocessable_entity", 422)
            .withStreamCode("too_many_requests", 429)
            .withStreamCode("rate_limit_exceeded", 429)
            .withStreamCode("insufficient_quota", 429)
            .withStreamCode("context_length_exceeded", 400)
            .withStreamCodeRange(400, 499);

    private final OpenAiCompatibleClient client;
    private final ElasticRequestRules rules;
    private final ElasticOptions options;
    private final String defaultInferenceId;
    private final Clock clock;

    /** @throws IllegalArgumentException when an option or the default inference ID is invalid */
    ElasticProvider(ProviderSettings settings, ProviderTransport transport) {
        this.options = ElasticOptions.of(settings.getOptions());
        this.client = new OpenAiCompatibleClient(settings, TYPE, transport, STATUSES)
                .withWire(new ElasticChatWire(options.serviceModel()));
        this.rules = new ElasticRequestRules(client);
        String id = settings.getDefaultModel();
        this.defaultInferenceId = id == null || id.isBlank() ? null : id.trim();
        if (defaultInferenceId != null && !ElasticRequestRules.isInferenceId(defaultInferenceId)) {
            throw new IllegalArgumentException("default-model (the inference ID) must be "
                    + ElasticRequestRules.INFERENCE_ID_RULE + ": " + defaultInferenceId);
        }
        this.clock = transport.clock();
    }

    @Override
    public String name() {
        return client.name();
    }

    @Override
    public void validate(CompletionRequest request) {
        rules.check(request);
        client.validate(request);
    }

    @Override
    public ChatReply complete(ChatCall call) {
        String inferenceId = inferenceId(call.request());
        if (inferenceId == null || !ElasticRequestRules.isInferenceId(inferenceId)) {
            throw ProviderException.of(call.context(name()), "invalid_request",
                    "no valid inference ID: the request's model is missing or not a plain ID, and provider " + name()
                            + " has no default-model").terminal();
        }
        return client.complete(call, target(inferenceId, Duration.between(clock.instant(), call.deadline())),
                Map.of());
    }

    /** The inference ID a request goes to: its model, else the instance's default; null when neither is set. */
    String inferenceId(CompletionRequest request) {
        String model = request.getModel();
        return model != null && !model.isBlank() ? model : defaultInferenceId;
    }

    /** {@code {base-url}/_inference/chat_completion/{id}/_stream[?timeout=...]}. */
    URI target(String inferenceId, Duration timeLeft) {
        String path = STREAM_PATH.formatted(inferenceId);
        return client.uri(options.timeoutParameter(timeLeft).map(t -> path + "?timeout=" + t).orElse(path));
    }
}
