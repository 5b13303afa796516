package io.inferenceworker.provider.nvidia;

import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.compat.OpenAiCompatibleClient;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.transport.ProviderTransport;
import io.inferenceworker.provider.compat.StatusPolicy;
import io.inferenceworker.schemas.CompletionRequest;

/**
 * NVIDIA API catalog: {@code POST {base-url}/v1/chat/completions} (option {@code chat-path}) with
 * {@code Authorization: Bearer <key>}. A request naming no model, on an instance without {@code default-model}, goes
 * to the reference's default {@value #DEFAULT_MODEL}. Only what the request sets is sent; what the reference does not
 * document is rejected in {@link #validate} (see {@link NvidiaRequestRules}). {@code chat_template_kwargs} is sent as
 * the JSON object given (its keys differ per model family: {@code thinking}, {@code enable_thinking}, ...);
 * {@code reasoning_content} is read from replies and stream deltas, and sent back with earlier assistant messages.
 * Every message carries {@code content} and {@code asset_ids} go in a header (see {@link NvidiaChatWire}).
 *
 * <p>A non-streamed call may be answered {@code 202} + {@code NVCF-REQID}; the result is then polled (see
 * {@link NvcfPoller}, options in {@link NvidiaOptions}). Streams are never answered that way.
 *
 * <p>Statuses: the {@linkplain StatusPolicy#defaults() defaults} (422, NVIDIA's validation status, is terminal;
 * 429 is retryable). Error bodies are problem details {@code {"type","title","status","detail","requestId"}} or the
 * bare {@code {"status":429,"title":"Too Many Requests"}}; stream errors {@code data: {"error": {...}}}. The request
 * ID is the {@code NVCF-REQID} header. Thread-safe.
 */
final class NvidiaProvider implements ChatProvider {
    static final String TYPE = "nvidia";
    static final String DEFAULT_MODEL = "moonshotai/kimi-k2.6";
    /** The chat call's table: the defaults. */
    static final StatusPolicy STATUSES = StatusPolicy.defaults();
    /**
     * The status polls' table ({@link NvcfPoller}): as the chat call's, but a 404 or 410 of the poll is a retryable
     * {@value NvcfPoller#RESULT_UNAVAILABLE}, not an outage: the request ID is unknown or its result expired, and
     * sending the request again helps.
     */
    static final StatusPolicy POLL_STATUSES = STATUSES
            .withStatus(404, StatusPolicy.Rule.busy(NvcfPoller.RESULT_UNAVAILABLE))
            .withStatus(410, StatusPolicy.Rule.busy(NvcfPoller.RESULT_UNAVAILABLE));

    private final OpenAiCompatibleClient client;
    private final NvidiaRequestRules rules;
    private final boolean useDocumentedDefaultModel;

    /** @throws IllegalArgumentException when an option or the chat path is invalid */
    NvidiaProvider(ProviderSettings settings, ProviderTransport transport) {
        NvidiaOptions options = NvidiaOptions.of(settings);
        OpenAiCompatibleClient chat = new OpenAiCompatibleClient(settings, TYPE, transport, STATUSES)
                .withWire(new NvidiaChatWire());
        this.client = chat.withPendingReplies(new NvcfPoller(options, transport, chat, POLL_STATUSES));
        this.rules = new NvidiaRequestRules(client);
        this.useDocumentedDefaultModel = isBlank(settings.getDefaultModel());
    }

    @Override
    public String name() {
        return client.name();
    }

    @Override
    public void validate(CompletionRequest request) {
        rules.check(request);
        client.validate(withModel(request));
    }

    @Override
    public ChatReply complete(ChatCall call) {
        CompletionRequest request = withModel(call.request());
        return client.complete(request == call.request() ? call : call.withRequest(request));
    }

    /** The request, naming {@value #DEFAULT_MODEL} when neither it nor the instance names a model. */
    private CompletionRequest withModel(CompletionRequest request) {
        if (!useDocumentedDefaultModel || !isBlank(request.getModel())) {
            return request;
        }
        return CompletionRequest.newBuilder(request).setModel(DEFAULT_MODEL).build();
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
