package io.inferenceworker.provider.openai;

import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.compat.OpenAiCompatibleClient;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.transport.ProviderTransport;
import io.inferenceworker.provider.compat.StatusPolicy;
import io.inferenceworker.schemas.CompletionRequest;

/**
 * A generic OpenAI-compatible server: OpenAI itself, vLLM, Ollama, LiteLLM. {@code POST {base-url}/v1/chat/completions}
 * (option {@code chat-path} to change it), Bearer key when one is configured. Every request parameter is sent as
 * given, since such servers differ in what they accept and report what they reject with a 400; only
 * {@code rag_collection}, which this format cannot carry, is rejected up front.
 *
 * <p>Statuses: the {@linkplain StatusPolicy#defaults() defaults}, except OpenAI's 429 of type or code
 * {@code insufficient_quota}, which is a terminal {@code insufficient_credit} (waiting does not refill a quota).
 * Retry hints: {@code retry-after-ms}, {@code retry-after}, {@code x-ratelimit-*}. Thread-safe.
 */
final class OpenAiProvider implements ChatProvider {
    static final String TYPE = "openai";
    /** The defaults and the shared {@link StatusPolicy#INSUFFICIENT_QUOTA} override. */
    static final StatusPolicy STATUSES = StatusPolicy.defaults().with(StatusPolicy.INSUFFICIENT_QUOTA);

    private final OpenAiCompatibleClient client;

    OpenAiProvider(ProviderSettings settings, ProviderTransport transport) {
        this.client = new OpenAiCompatibleClient(settings, TYPE, transport, STATUSES);
    }

    @Override
    public String name() {
        return client.name();
    }

    @Override
    public void validate(CompletionRequest request) {
        client.validate(request);
    }

    @Override
    public ChatReply complete(ChatCall call) {
        return client.complete(call);
    }
}
