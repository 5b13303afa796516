package io.inferenceworker.provider.compat;

import io.inferenceworker.provider.ChatReply;
import com.fasterxml.jackson.databind.JsonNode;
import io.inferenceworker.provider.compat.OpenAiJson.ChatCompletion;
import io.inferenceworker.provider.compat.OpenAiJson.ReplyChoice;
import io.inferenceworker.provider.compat.OpenAiJson.ReplyMessage;
import io.inferenceworker.provider.compat.OpenAiJson.ToolCallJson;
import io.inferenceworker.provider.compat.OpenAiJson.UsageJson;
import io.inferenceworker.schemas.Choice;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.ContentPart;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Tool;
import io.inferenceworker.schemas.ToolCall;
import io.inferenceworker.schemas.Usage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Maps an OpenAI-compatible answer to the result contract: choices in index order (tool-call arguments verbatim,
 * {@code logprobs} as JSON text), usage including {@code prompt_tokens_details.cached_tokens} and
 * {@code completion_tokens_details.reasoning_tokens}, vLLM's {@code stop_reason} and {@code system_fingerprint}.
 * Content given as a list of text parts is joined. Stateless.
 */
public final class OpenAiReplyMapper {
    /** UTF-8 bytes per token of a usage estimate, as the token budget counts them. */
    static final int BYTES_PER_TOKEN = 4;

    private OpenAiReplyMapper() {
    }

    /**
     * @param completion        the parsed answer
     * @param providerRequestId the provider's request-ID header, or null
     * @param requestedModel    the model asked for, used when the answer names none
     * @throws IllegalArgumentException when the answer has no {@code choices} (the caller reports it as a malformed
     *                                  response)
     */
    public static ChatReply toReply(ChatCompletion completion, String providerRequestId, String requestedModel) {
        if (completion == null || completion.choices() == null) {
            throw new IllegalArgumentException("answer has no choices");
        }
        List<Choice> choices = new ArrayList<>(completion.choices().size());
        for (int i = 0; i < completion.choices().size(); i++) {
            ReplyChoice choice = completion.choices().get(i);
            if (choice == null) {
                throw new IllegalArgumentException("answer has a null choice");
            }
            choices.add(toChoice(choice, choice.index() == null ? i : choice.index()));
        }
        choices.sort(Comparator.comparingInt(Choice::getIndex));
        String model = completion.model() != null ? completion.model() : requestedModel;
        return new ChatReply(completion.id(), model, choices, toUsage(completion.usage()), providerRequestId,
                completion.systemFingerprint());
    }

    private static Choice toChoice(ReplyChoice choice, int index) {
        ReplyMessage message = choice.message();
        Choice.Builder result = Choice.newBuilder()
                .setIndex(index)
                .setFinishReason(choice.finishReason())
                .setLogprobs(jsonText(choice.logprobs()))
                .setStopReason(stopReason(choice.stopReason()));
        if (message != null) {
            result.setRole(message.role())
                    .setContent(text(message.content()))
                    .setReasoningContent(message.reasoningContent() != null ? message.reasoningContent()
                            : message.reasoning())
                    .setToolCalls(toolCalls(message.toolCalls()));
        }
        return result.build();
    }

    private static List<ToolCall> toolCalls(List<ToolCallJson> calls) {
        if (calls == null || calls.isEmpty()) {
            return null;
        }
        List<ToolCall> result = new ArrayList<>(calls.size());
        for (ToolCallJson call : calls) {
            String name = call.function() == null ? null : call.function().name();
            String arguments = call.function() == null ? null : call.function().argumentsText();
            result.add(new ToolCall(call.id(), call.type() == null ? "function" : call.type(),
                    name == null ? "" : name, arguments == null ? "" : arguments));
        }
        return result;
    }

    /** Usage in the contract's terms; null when the provider reported none. */
    public static Usage toUsage(UsageJson usage) {
        if (usage == null) {
            return null;
        }
        int prompt = usage.promptTokens() == null ? 0 : usage.promptTokens();
        int completion = usage.completionTokens() == null ? 0 : usage.completionTokens();
        int total = usage.totalTokens() == null ? prompt + completion : usage.totalTokens();
        return new Usage(prompt, completion, total, intMember(usage.completionTokensDetails(), "reasoning_tokens"),
                intMember(usage.promptTokensDetails(), "cached_tokens"), null);
    }

    /**
     * {@code reply} as is when it carries usage; else with usage estimated at {@value #BYTES_PER_TOKEN} UTF-8 bytes a
     * token (as the token budget estimates before a call) and marked {@code estimated}: prompt tokens from the
     * request's message texts, tool-call names and arguments and tool definitions, completion tokens from every
     * choice's content, reasoning and tool calls. For a server whose stream may end without usage (Vultr), so usage
     * records, cost and token limits still count the call.
     */
    public static ChatReply withEstimatedUsage(ChatReply reply, CompletionRequest request) {
        if (reply.usage() != null) {
            return reply;
        }
        long promptBytes = 0;
        for (Message message : request.getMessages()) {
            promptBytes += contentBytes(message.getContent());
            if (message.getToolCalls() != null) {
                for (ToolCall call : message.getToolCalls()) {
                    promptBytes += utf8(call.getName()) + utf8(call.getArguments());
                }
            }
        }
        if (request.getTools() != null) {
            for (Tool tool : request.getTools()) {
                promptBytes += utf8(tool.getName()) + utf8(tool.getDescription()) + utf8(tool.getParameters());
            }
        }
        long completionBytes = 0;
        long reasoningBytes = 0;
        for (Choice choice : reply.choices()) {
            completionBytes += utf8(choice.getContent());
            reasoningBytes += utf8(choice.getReasoningContent());
            if (choice.getToolCalls() != null) {
                for (ToolCall call : choice.getToolCalls()) {
                    completionBytes += utf8(call.getName()) + utf8(call.getArguments());
                }
            }
        }
        int prompt = tokens(promptBytes);
        int reasoning = tokens(reasoningBytes);
        int completion = tokens(completionBytes) + reasoning;
        return reply.withUsage(new Usage(prompt, completion, prompt + completion, reasoning > 0 ? reasoning : null,
                null, true));
    }

    private static long contentBytes(Object content) {
        if (content instanceof CharSequence text) {
            return utf8(text);
        }
        long bytes = 0;
        if (content instanceof List<?> parts) {
            for (Object part : parts) {
                if (part instanceof ContentPart p) {
                    bytes += utf8(p.getText());
                }
            }
        }
        return bytes;
    }

    private static int tokens(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE / 2, (bytes + BYTES_PER_TOKEN - 1) / BYTES_PER_TOKEN);
    }

    private static long utf8(CharSequence text) {
        return text == null ? 0 : text.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    /** vLLM's {@code stop_reason}: a stop string as is, a stop token ID as its decimal text; null when absent. */
    static String stopReason(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return node.isTextual() ? node.asText() : node.toString();
    }

    /** A string content as is; a list of parts as the concatenation of its text parts; otherwise null. */
    static String text(JsonNode content) {
        if (content == null || content.isNull() || content.isMissingNode()) {
            return null;
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                JsonNode t = part.get("text");
                if (t != null && t.isTextual()) {
                    text.append(t.asText());
                }
            }
            return text.toString();
        }
        return content.toString();
    }

    /** JSON text of a member, or null when absent or JSON null. */
    static String jsonText(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.toString();
    }

    private static Integer intMember(JsonNode details, String member) {
        if (details == null || !details.isObject()) {
            return null;
        }
        JsonNode value = details.get(member);
        return value != null && value.canConvertToInt() && value.isNumber() ? value.asInt() : null;
    }
}
