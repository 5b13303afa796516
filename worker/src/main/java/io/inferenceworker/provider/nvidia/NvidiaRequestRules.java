package io.inferenceworker.provider.nvidia;

import io.inferenceworker.provider.InvalidRequestException;
import io.inferenceworker.provider.compat.OpenAiCompatibleClient;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.ContentPart;
import io.inferenceworker.schemas.ContentPartType;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Role;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the NVIDIA API catalog's chat-completion reference lets a request carry, checked before any call. Supported:
 * {@code model}, {@code messages} (with {@code name}, {@code tool_call_id}, {@code tool_calls} and an assistant's
 * earlier {@code reasoning_content}), {@code max_tokens} (1..65536), {@code temperature} (0..1), {@code top_p}
 * (0..1), {@code seed} (±9007199254740991, JavaScript's safe integers), {@code tools} (OpenAI-compatible definitions),
 * {@code tool_choice} ({@code auto}, {@code none}, {@code required} or a named function), {@code chat_template_kwargs}
 * and {@code stream} (with {@code stream_options.include_usage}).
 *
 * <p>Rejected, since the reference does not list them: {@code n}, {@code stop}, {@code top_k}, {@code logprobs},
 * {@code top_logprobs}, {@code frequency_penalty}, {@code presence_penalty}, {@code logit_bias},
 * {@code response_format} ({@code rag_collection} is rejected by the shared client), and the {@code developer} role
 * (the reference knows system, user, assistant and tool messages). Content as a list of parts is refused for system
 * and assistant messages ("the object list format is not supported"), and image/video parts are accepted only in
 * user messages ("only with role=user"). Images: an inline (base64) image must stay under 180 KB
 * ({@value #MAX_INLINE_IMAGE_BASE64_CHARS} base64 characters); larger ones are uploaded with the NVCF Asset API and
 * referred to as {@code data:image/png;asset_id,<id>}, each such ID listed in {@code asset_ids} (UUIDs, at most
 * {@value #MAX_ASSET_REFERENCES_CHARS} characters comma-joined: the {@code NVCF-INPUT-ASSET-REFERENCES} header).
 * Immutable and thread-safe.
 */
final class NvidiaRequestRules {
    static final int MAX_TOKENS_LIMIT = 65_536;
    static final double MAX_TEMPERATURE = 1.0;
    /** The reference's seed bounds: JavaScript's {@code Number.MAX_SAFE_INTEGER}. */
    static final long MAX_SEED = 9_007_199_254_740_991L;

    /**
     * Longest inline (base64) image, in base64 characters: "if the size of an image is more than 180KB, it needs to
     * be uploaded" with the NVCF Asset API; NVIDIA's catalog samples check {@code len(image_b64) < 180_000}.
     */
    static final int MAX_INLINE_IMAGE_BASE64_CHARS = 180_000;
    /** The reference's bound on the {@code NVCF-INPUT-ASSET-REFERENCES} header. */
    static final int MAX_ASSET_REFERENCES_CHARS = 370;

    private static final String NOT_DOCUMENTED = "not in the NVIDIA API catalog chat-completion reference";
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** Inline image data: a data URL with base64 data, alone (image_url) or in an {@code <img src>} tag. */
    private static final Pattern INLINE_IMAGE = Pattern.compile("data:image/[^;,\"'\\s]*;base64,([^\"'\\s>]*)");
    /** A reference to an uploaded asset: {@code data:image/png;asset_id,<id>}. */
    private static final Pattern ASSET_REFERENCE = Pattern.compile("data:image/[^;,\"'\\s]*;asset_id,([^\"'\\s>]*)");

    private final OpenAiCompatibleClient client;

    NvidiaRequestRules(OpenAiCompatibleClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** @throws InvalidRequestException naming the first parameter NVIDIA cannot honour */
    void check(CompletionRequest request) {
        rejectIfSet("n", request.getN());
        rejectIfSet("stop", request.getStop());
        rejectIfSet("top_k", request.getTopK());
        rejectIfSet("logprobs", request.getLogprobs());
        rejectIfSet("top_logprobs", request.getTopLogprobs());
        rejectIfSet("frequency_penalty", request.getFrequencyPenalty());
        rejectIfSet("presence_penalty", request.getPresencePenalty());
        rejectIfSet("logit_bias", request.getLogitBias());
        rejectIfSet("response_format", request.getResponseFormat());
        checkRanges(request);
        checkMessages(request.getMessages());
        checkImages(request);
    }

    private void rejectIfSet(String parameter, Object value) {
        if (value != null) {
            throw client.unsupported(parameter, parameter, NOT_DOCUMENTED);
        }
    }

    private void checkRanges(CompletionRequest request) {
        Double temperature = request.getTemperature();
        if (temperature != null && !(temperature >= 0 && temperature <= MAX_TEMPERATURE)) {
            throw client.unsupported("temperature", "temperature " + temperature, "must be between 0 and 1");
        }
        Double topP = request.getTopP();
        if (topP != null && !(topP >= 0 && topP <= 1)) {
            throw client.unsupported("top_p", "top_p " + topP, "must be between 0 and 1");
        }
        Integer maxTokens = request.getMaxTokens();
        if (maxTokens != null && (maxTokens < 1 || maxTokens > MAX_TOKENS_LIMIT)) {
            throw client.unsupported("max_tokens", "max_tokens " + maxTokens, "must be between 1 and "
                    + MAX_TOKENS_LIMIT);
        }
        Long seed = request.getSeed();
        if (seed != null && (seed < -MAX_SEED || seed > MAX_SEED)) {
            throw client.unsupported("seed", "seed " + seed, "must be between -" + MAX_SEED + " and " + MAX_SEED);
        }
    }

    private void checkMessages(List<Message> messages) {
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            Role role = message.getRole();
            if (role == Role.DEVELOPER) {
                throw client.unsupported("messages", "role developer (messages[" + i + "])",
                        "only system, user, assistant and tool");
            }
            if (!(message.getContent() instanceof List<?> parts)) {
                continue;
            }
            if (role == Role.SYSTEM || role == Role.ASSISTANT) {
                throw client.unsupported("messages", "content as a list of parts in a " + lower(role)
                        + " message (messages[" + i + "])", "give it as a string");
            }
            for (Object part : parts) {
                if (part instanceof ContentPart p && p.getType() != ContentPartType.TEXT && role != Role.USER) {
                    throw client.unsupported("messages", (p.getType() == ContentPartType.IMAGE_URL
                            ? "image content (image_url)" : "video content (video_url)") + " in a " + lower(role)
                            + " message (messages[" + i + "])", "images and videos only in user messages");
                }
            }
        }
    }

    /**
     * Asset IDs: UUIDs, at most {@value #MAX_ASSET_REFERENCES_CHARS} characters comma-joined; every asset a message
     * refers to is listed; inline images under {@value #MAX_INLINE_IMAGE_BASE64_CHARS} base64 characters.
     */
    private void checkImages(CompletionRequest request) {
        Set<String> assets = new HashSet<>();
        List<String> ids = request.getAssetIds();
        if (ids != null) {
            for (String id : ids) {
                String trimmed = id.trim();
                if (!UUID.matcher(trimmed).matches()) {
                    throw new InvalidRequestException("asset_ids", "asset_ids must be NVCF asset IDs (UUIDs), got "
                            + (trimmed.length() > 40 ? trimmed.substring(0, 40) + "..." : trimmed));
                }
                assets.add(trimmed.toLowerCase(Locale.ROOT));
            }
            int header = String.join(",", ids.stream().map(String::trim).toList()).length();
            if (header > MAX_ASSET_REFERENCES_CHARS) {
                throw new InvalidRequestException("asset_ids", "asset_ids make an NVCF-INPUT-ASSET-REFERENCES header "
                        + "of " + header + " characters; NVIDIA allows at most " + MAX_ASSET_REFERENCES_CHARS);
            }
        }
        List<Message> messages = request.getMessages();
        for (int i = 0; i < messages.size(); i++) {
            for (String text : imageTexts(messages.get(i).getContent())) {
                checkImageText(text, i, assets);
            }
        }
    }

    private static void checkImageText(String text, int message, Set<String> assets) {
        Matcher inline = INLINE_IMAGE.matcher(text);
        while (inline.find()) {
            int chars = inline.group(1).length();
            if (chars >= MAX_INLINE_IMAGE_BASE64_CHARS) {
                throw new InvalidRequestException("messages", "inline image in messages[" + message + "] is " + chars
                        + " base64 characters; NVIDIA's limit is 180 KB (under " + MAX_INLINE_IMAGE_BASE64_CHARS
                        + " base64 characters): upload it with the NVCF Asset API and list its ID in asset_ids");
            }
        }
        Matcher reference = ASSET_REFERENCE.matcher(text);
        while (reference.find()) {
            if (!assets.contains(reference.group(1).toLowerCase(Locale.ROOT))) {
                throw new InvalidRequestException("asset_ids", "messages[" + message + "] refers to asset "
                        + reference.group(1) + ", which asset_ids does not list");
            }
        }
    }

    /** The texts of a content where images may be: the string, or the parts' texts and image URLs. */
    private static List<String> imageTexts(Object content) {
        if (content instanceof CharSequence text) {
            return List.of(text.toString());
        }
        List<String> texts = new ArrayList<>();
        if (content instanceof List<?> parts) {
            for (Object part : parts) {
                if (part instanceof ContentPart p) {
                    if (p.getText() != null) {
                        texts.add(p.getText());
                    }
                    if (p.getType() == ContentPartType.IMAGE_URL && p.getUrl() != null) {
                        texts.add(p.getUrl());
                    }
                }
            }
        }
        return texts;
    }

    private static String lower(Role role) {
        return role.name().toLowerCase(Locale.ROOT);
    }
}
