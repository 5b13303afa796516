package io.inferenceworker.provider.vultr;

import io.inferenceworker.provider.InvalidRequestException;
import io.inferenceworker.provider.compat.OpenAiCompatibleClient;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.ContentPart;
import io.inferenceworker.schemas.ContentPartType;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Role;
import io.inferenceworker.schemas.Tool;
import java.util.List;
import java.util.Objects;

/**
 * What Vultr's Inference API 1.2.0 reference (plus its chat guide for tools) lets a request carry, checked before
 * any call. Supported: {@code model}, {@code messages} (text content, as a string or text parts), {@code max_tokens}
 * (≥ 1), {@code temperature} (0..2), {@code top_p} (0..1), {@code top_k} (0..100), {@code seed} (−1 = random),
 * {@code stream}, {@code tools} and {@code tool_choice} {@code auto}/{@code required}/{@code none}
 * (documented for {@code kimi-k2-instruct} only; not enforced by model, since Vultr may extend it), and
 * {@code rag_collection} (RAG chat, with tools too: Vultr's current RAG guide supports them).
 *
 * <p>Rejected: {@code n}, {@code logprobs}, {@code top_logprobs}, {@code frequency_penalty},
 * {@code presence_penalty} and {@code stop}, which the 1.2.0 reference does not list (unless
 * {@link VultrOptions#allowExtendedParameters()}), {@code asset_ids} (NVIDIA's), {@code logit_bias},
 * {@code response_format}, {@code chat_template_kwargs}, {@code tools[].strict}, a named-function
 * {@code tool_choice}, image or video content parts, and the {@code developer} role (Vultr documents system, user
 * and assistant messages; tool messages carry tool results). Immutable and thread-safe.
 */
final class VultrRequestRules {
    private final OpenAiCompatibleClient client;
    private final boolean allowExtendedParameters;

    VultrRequestRules(OpenAiCompatibleClient client, boolean allowExtendedParameters) {
        this.client = Objects.requireNonNull(client, "client");
        this.allowExtendedParameters = allowExtendedParameters;
    }

    /** @throws InvalidRequestException naming the first parameter Vultr cannot honour */
    void check(CompletionRequest request) {
        checkOpenAiOnlyParameters(request);
        checkRanges(request);
        checkTools(request);
        checkContent(request.getMessages());
        String collection = request.getRagCollection();
        if (collection != null && collection.isBlank()) {
            throw new InvalidRequestException("rag_collection", "rag_collection must not be blank");
        }
    }

    private void checkOpenAiOnlyParameters(CompletionRequest request) {
        if (!allowExtendedParameters) {
            String hint = "not in Vultr's 1.2.0 API; set options." + VultrOptions.ALLOW_EXTENDED_PARAMETERS
                    + ": true if your Vultr API revision has it";
            rejectIfSet("n", request.getN(), hint);
            rejectIfSet("logprobs", request.getLogprobs(), hint);
            rejectIfSet("top_logprobs", request.getTopLogprobs(), hint);
            rejectIfSet("frequency_penalty", request.getFrequencyPenalty(), hint);
            rejectIfSet("presence_penalty", request.getPresencePenalty(), hint);
            rejectIfSet("stop", request.getStop(), hint);
        }
        rejectIfSet("asset_ids", request.getAssetIds(), "NVCF assets are NVIDIA's");
        rejectIfSet("logit_bias", request.getLogitBias(), null);
        rejectIfSet("response_format", request.getResponseFormat(), null);
        rejectIfSet("chat_template_kwargs", request.getChatTemplateKwargs(), null);
    }

    private void rejectIfSet(String parameter, Object value, String hint) {
        if (value != null) {
            throw client.unsupported(parameter, parameter, hint);
        }
    }

    private void checkRanges(CompletionRequest request) {
        Double temperature = request.getTemperature();
        if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
            throw client.unsupported("temperature", "temperature " + temperature, "must be between 0 and 2");
        }
        Double topP = request.getTopP();
        if (topP != null && !(topP >= 0 && topP <= 1)) {
            throw client.unsupported("top_p", "top_p " + topP, "must be between 0 and 1");
        }
        Integer topK = request.getTopK();
        if (topK != null && (topK < 0 || topK > 100)) {
            throw client.unsupported("top_k", "top_k " + topK, "must be between 0 and 100");
        }
        Integer maxTokens = request.getMaxTokens();
        if (maxTokens != null && maxTokens < 1) {
            throw client.unsupported("max_tokens", "max_tokens " + maxTokens, "must be at least 1");
        }
        Long seed = request.getSeed();
        if (seed != null && seed < -1) {
            throw client.unsupported("seed", "seed " + seed, "must be -1 (random) or a non-negative integer");
        }
    }

    private void checkTools(CompletionRequest request) {
        // Tools with rag_collection are allowed: Vultr's current RAG guide documents tool calling there.
        if (request.getToolChoice() != null) {
            switch (request.getToolChoice().getMode()) {
                case AUTO, REQUIRED, NONE -> { }
                case FUNCTION -> throw client.unsupported("tool_choice", "tool_choice of a named function",
                        "only auto, required and none");
            }
        }
        List<Tool> tools = request.getTools();
        if (tools != null) {
            for (int i = 0; i < tools.size(); i++) {
                if (tools.get(i).getStrict() != null) {
                    throw client.unsupported("tools", "tools[" + i + "].strict", null);
                }
            }
        }
    }

    private void checkContent(List<Message> messages) {
        for (Message message : messages) {
            if (message.getRole() == Role.DEVELOPER) {
                throw client.unsupported("messages", "role developer", "only system, user, assistant and tool");
            }
            if (message.getContent() instanceof List<?> parts) {
                for (Object part : parts) {
                    if (part instanceof ContentPart p && p.getType() != ContentPartType.TEXT) {
                        throw client.unsupported("messages",
                                p.getType() == ContentPartType.IMAGE_URL ? "image content (image_url)"
                                        : "video content (video_url)", "only text");
                    }
                }
            }
        }
    }
}
