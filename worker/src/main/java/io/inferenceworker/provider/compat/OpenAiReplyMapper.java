package io.inferenceworker.provider.compat;

import io.inferenceworker.provider.ChatReply;
import com.fasterxml.jackson.databind.JsonNode;
import io.inferenceworker.provider.compat.OpenAiJson.ChatCompletion;
import io.inferenceworker.provider.compat.OpenAiJson.ReplyChoice;
import io.inferenceworker.provider.compat.OpenAiJson.ReplyMessage;
import io.inferenceworker.provider.compat.OpenAiJson.ToolCallJson;
import io.inferenceworker.provider.compat.OpenAiJson.UsageJson;
import io.inferenceworker.schemas.Choice;
import io.inferenceworker.schemas.ToolCall;
import io.inferenceworker.schemas.Usage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Maps an OpenAI-compatible answer to the result contract: choices in index order (tool-call arguments verbatim,
 * {@code logprobs} as JSON text), usage including {@code prompt_tokens_details.cached_tokens} and
 * {@code completion_tokens_details.reasoning_tokens}. Content given as a list of text parts is joined. Stateless.
 */
final class OpenAiReplyMapper {
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
        return new ChatReply(completion.id(), model, choices, toUsage(completion.usage()), providerRequestId);
    }

    private static Choice toChoice(ReplyChoice choice, int index) {
        ReplyMessage message = choice.message();
        Choice.Builder result = Choice.newBuilder()
                .setIndex(index)
                .setFinishReason(choice.finishReason())
                .setLogprobs(jsonText(choice.logprobs()));
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
                intMember(usage.promptTokensDetails(), "cached_tokens"));
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
