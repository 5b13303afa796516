package io.inferenceworker.provider.elastic;

import io.inferenceworker.provider.InvalidRequestException;
import io.inferenceworker.provider.compat.OpenAiCompatibleClient;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.ContentPart;
import io.inferenceworker.schemas.ContentPartType;
import io.inferenceworker.schemas.Message;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the Elasticsearch chat_completion API ({@code POST _inference/chat_completion/{id}/_stream}, 8.18+) lets a
 * request carry, checked before any call. Its body parser is strict: a field it does not know fails the whole
 * request, so nothing is sent that it does not accept.
 *
 * <p>Supported: {@code model} (the inference ID), {@code messages} (content as a string or text parts,
 * {@code tool_call_id}, {@code tool_calls}), {@code max_tokens} (sent as {@code max_completion_tokens}),
 * {@code temperature}, {@code top_p}, {@code stop}, {@code tools} (with {@code strict}), {@code tool_choice} (every
 * mode) and {@code stream}.
 *
 * <p>Rejected: {@code n}, {@code seed}, {@code top_k}, {@code logprobs}, {@code top_logprobs},
 * {@code frequency_penalty}, {@code presence_penalty}, {@code logit_bias}, {@code response_format},
 * {@code chat_template_kwargs}, {@code rag_collection}, {@code asset_ids}; image or video content parts; a
 * message's {@code name} or {@code reasoning_content} (Elasticsearch's message has neither); and an inference ID that
 * is not a plain ID
 * ({@value #INFERENCE_ID_RULE}), so that a job can never address another Elasticsearch API through the path.
 * Immutable and thread-safe.
 */
final class ElasticRequestRules {
    static final String INFERENCE_ID_RULE = "letters, digits, '_', '-' and '.', at most 255, not '.' or '..'";
    private static final Pattern INFERENCE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,255}");
    private static final int MAX_QUOTED_CHARS = 80;

    private final OpenAiCompatibleClient client;

    ElasticRequestRules(OpenAiCompatibleClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** Whether {@code id} can be an inference ID in the path (see the class comment). */
    static boolean isInferenceId(String id) {
        return id != null && INFERENCE_ID.matcher(id).matches() && !id.equals(".") && !id.equals("..");
    }

    /** @throws InvalidRequestException naming the first parameter Elasticsearch cannot honour */
    void check(CompletionRequest request) {
        rejectIfSet("n", request.getN());
        rejectIfSet("seed", request.getSeed());
        rejectIfSet("top_k", request.getTopK());
        rejectIfSet("logprobs", request.getLogprobs());
        rejectIfSet("top_logprobs", request.getTopLogprobs());
        rejectIfSet("frequency_penalty", request.getFrequencyPenalty());
        rejectIfSet("presence_penalty", request.getPresencePenalty());
        rejectIfSet("logit_bias", request.getLogitBias());
        rejectIfSet("response_format", request.getResponseFormat());
        rejectIfSet("chat_template_kwargs", request.getChatTemplateKwargs());
        rejectIfSet("rag_collection", request.getRagCollection());
        rejectIfSet("asset_ids", request.getAssetIds());
        checkMessages(request.getMessages());
        String model = request.getModel();
        if (model != null && !model.isBlank() && !isInferenceId(model)) {
            throw new InvalidRequestException("model", "model '" + quote(model) + "' is not a valid inference ID for"
                    + " provider " + client.name() + " (" + ElasticProvider.TYPE + "): " + INFERENCE_ID_RULE);
        }
    }

    private void rejectIfSet(String parameter, Object value) {
        if (value != null) {
            throw client.unsupported(parameter, parameter, "the Elasticsearch chat_completion API has no such field");
        }
    }

    private void checkMessages(List<Message> messages) {
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            if (message.getName() != null) {
                throw client.unsupported("messages", "messages[" + i + "].name", "Elasticsearch messages have no name");
            }
            if (message.getReasoningContent() != null) {
                throw client.unsupported("messages", "messages[" + i + "].reasoning_content",
                        "Elasticsearch messages have no reasoning_content");
            }
            if (message.getContent() instanceof List<?> parts) {
                for (Object part : parts) {
                    if (part instanceof ContentPart p && p.getType() != ContentPartType.TEXT) {
                        throw client.unsupported("messages", p.getType() == ContentPartType.IMAGE_URL
                                ? "image content (image_url)" : "video content (video_url)", "only text parts");
                    }
                }
            }
        }
    }

    /** A value for a message: control characters removed, bounded. */
    private static String quote(String value) {
        String clean = value.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > MAX_QUOTED_CHARS ? clean.substring(0, MAX_QUOTED_CHARS) + "..." : clean;
    }
}
