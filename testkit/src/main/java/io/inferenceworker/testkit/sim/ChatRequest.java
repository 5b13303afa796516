package io.inferenceworker.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;

/** Read-only view of a chat-completion request body with the lenient accessors the answer needs. */
final class ChatRequest {

    private final JsonNode body;

    ChatRequest(JsonNode body) {
        this.body = body == null ? MissingNode.getInstance() : body;
    }

    JsonNode body() {
        return body;
    }

    String model() {
        JsonNode model = body.path("model");
        return model.isTextual() ? model.asText() : null;
    }

    JsonNode messages() {
        return body.path("messages");
    }

    boolean stream() {
        return body.path("stream").asBoolean(false);
    }

    boolean includeUsage() {
        return body.path("stream_options").path("include_usage").asBoolean(false);
    }

    JsonNode tools() {
        return body.path("tools");
    }

    boolean hasTools() {
        return tools().isArray() && !tools().isEmpty();
    }

    boolean toolChoiceIs(String value) {
        return value.equals(body.path("tool_choice").asText(null));
    }

    /** The function named by a {@code {"type":"function","function":{"name":…}}} tool choice, else null. */
    String namedToolChoice() {
        JsonNode name = body.path("tool_choice").path("function").path("name");
        return name.isTextual() ? name.asText() : null;
    }

    /** {@code stop} as a list: a string alone, or the strings of an array; empty when absent. */
    List<String> stops() {
        JsonNode stop = body.path("stop");
        if (stop.isTextual()) {
            return List.of(stop.asText());
        }
        List<String> stops = new ArrayList<>();
        if (stop.isArray()) {
            stop.forEach(s -> {
                if (s.isTextual()) {
                    stops.add(s.asText());
                }
            });
        }
        return stops;
    }

    /** {@code n}: how many choices, at least 1. */
    int choices() {
        return Math.max(1, body.path("n").asInt(1));
    }

    boolean logprobs() {
        return body.path("logprobs").asBoolean(false);
    }

    int topLogprobs() {
        return Math.max(0, body.path("top_logprobs").asInt(0));
    }

    /** {@code max_completion_tokens}, else {@code max_tokens}, else null. */
    Integer maxTokens() {
        JsonNode limit = body.path("max_completion_tokens");
        if (!limit.isNumber()) {
            limit = body.path("max_tokens");
        }
        return limit.isNumber() ? limit.asInt() : null;
    }

    /** Whether {@code response_format} asks for JSON ({@code json_object} or {@code json_schema}). */
    boolean jsonResponse() {
        String type = body.path("response_format").path("type").asText("");
        return type.equals("json_object") || type.equals("json_schema");
    }

    /** Whether {@code chat_template_kwargs} turns thinking on ({@code thinking} or {@code enable_thinking}). */
    boolean thinkingRequested() {
        JsonNode kwargs = body.path("chat_template_kwargs");
        return kwargs.path("thinking").asBoolean(false) || kwargs.path("enable_thinking").asBoolean(false);
    }

    /** The text of the last {@code user} message ({@code ""} if none). */
    String lastUserText() {
        JsonNode messages = messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if ("user".equals(message.path("role").asText())) {
                return textOf(message.path("content"));
            }
        }
        return "";
    }

    /** Characters of text over all messages, the base of the prompt-token estimate. */
    int promptChars() {
        int chars = 0;
        for (JsonNode message : messages()) {
            chars += textOf(message.path("content")).length();
        }
        return chars;
    }

    /** A content string as is, or the concatenated {@code text} of its {@code text} parts. */
    static String textOf(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
                text.append(part.path("text").asText());
            }
        }
        return text.toString();
    }
}
