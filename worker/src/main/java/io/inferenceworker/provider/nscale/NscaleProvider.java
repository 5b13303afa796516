package io.inferenceworker.provider.nscale;

import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.compat.OpenAiCompatibleClient;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.transport.ProviderTransport;
import io.inferenceworker.provider.compat.StatusPolicy;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.ContentPart;
import io.inferenceworker.schemas.ContentPartType;
import io.inferenceworker.schemas.Message;
import java.util.List;

/**
 * nscale serverless inference (vLLM behind an OpenAI-compatible API): {@code POST {base-url}/v1/chat/completions},
 * Bearer token.
 *
 * <p>Rejected before any call, because nscale documents no way to honour them: {@code tool_choice} other than
 * {@code auto}/{@code none} ({@code required} is documented as unsupported), {@code top_k} and
 * {@code chat_template_kwargs} (not in nscale's API), video content parts (only text and images), and
 * {@code rag_collection}.
 *
 * <p>Statuses: 200, and 201 (nscale's status for streams), are success; 429 means insufficient credit, a terminal
 * {@code insufficient_credit} (nscale enforces no rate limits, so waiting does not help); otherwise the
 * {@linkplain StatusPolicy#defaults() defaults}. Both vLLM error-body shapes are understood. Thread-safe.
 */
final class NscaleProvider implements ChatProvider {
    static final String TYPE = "nscale";
    /** 201 is success; 429 is a terminal {@code insufficient_credit}. */
    static final StatusPolicy STATUSES = StatusPolicy.defaults()
            .withSuccess(201)
            .withStatus(429, StatusPolicy.Rule.fail("insufficient_credit"));

    private final OpenAiCompatibleClient client;

    NscaleProvider(ProviderSettings settings, ProviderTransport transport) {
        this.client = new OpenAiCompatibleClient(settings, TYPE, transport, STATUSES);
    }

    @Override
    public String name() {
        return client.name();
    }

    @Override
    public void validate(CompletionRequest request) {
        if (request.getToolChoice() != null) {
            switch (request.getToolChoice().getMode()) {
                case AUTO, NONE -> { }
                case REQUIRED -> throw client.unsupported("tool_choice", "tool_choice required",
                        "only auto and none");
                case FUNCTION -> throw client.unsupported("tool_choice", "tool_choice of a named function",
                        "only auto and none");
            }
        }
        if (request.getTopK() != null) {
            throw client.unsupported("top_k", "top_k", null);
        }
        if (request.getChatTemplateKwargs() != null) {
            throw client.unsupported("chat_template_kwargs", "chat_template_kwargs", null);
        }
        if (hasVideo(request.getMessages())) {
            throw client.unsupported("messages", "video content (video_url)", "only text and image_url parts");
        }
        client.validate(request);
    }

    private static boolean hasVideo(List<Message> messages) {
        for (Message message : messages) {
            if (message.getContent() instanceof List<?> parts) {
                for (Object part : parts) {
                    if (part instanceof ContentPart p && p.getType() == ContentPartType.VIDEO_URL) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Override
    public ChatReply complete(ChatCall call) {
        return client.complete(call);
    }
}
