package io.inferenceworker.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides the deterministic answer to a valid request: content, reasoning, tool call, finish reason and usage
 * (the rules are documented on {@link ProviderSimulator}). Thread-safe.
 */
final class AnswerPlanner {

    private static final int REASONING_ECHO_CHARS = 40;

    private final SimContext context;

    AnswerPlanner(SimContext context) {
        this.context = context;
    }

    Answer plan(ChatRequest request, Behaviour behaviour, String model) {
        Behaviour.Reply reply = behaviour.reply();
        Answer.ToolCall toolCall = toolCall(request, reply);
        String reasoning = reply.reasoning() != null ? reply.reasoning()
                : request.thinkingRequested() ? "Thinking about: " + head(request.lastUserText(), REASONING_ECHO_CHARS)
                : null;
        String content = null;
        String finishReason = "tool_calls";
        String stopReason = null;
        if (toolCall == null) {
            content = reply.content() != null ? reply.content() : defaultContent(request);
            finishReason = "stop";
            for (String stop : request.stops()) {
                int at = content.indexOf(stop);
                if (!stop.isEmpty() && at >= 0) {
                    content = content.substring(0, at);
                    stopReason = stop;
                    break;
                }
            }
            List<String> tokens = Tokens.split(content);
            Integer limit = request.maxTokens();
            // Truncating JSON would break the json_object promise, so JSON answers are never cut.
            if (limit != null && limit > 0 && tokens.size() > limit && !request.jsonResponse()) {
                content = String.join("", tokens.subList(0, limit));
                finishReason = "length";
            }
        }
        // Every one of the n choices carries the same answer, and usage counts all of them, as OpenAI does.
        int choices = request.choices();
        int reasoningTokens = Tokens.count(reasoning);
        int completionTokens = Tokens.count(content) + reasoningTokens
                + (toolCall == null ? 0 : Tokens.promptTokens(toolCall.arguments().length()));
        Answer.Usage usage = new Answer.Usage(Tokens.promptTokens(request.promptChars()), choices * completionTokens,
                choices * reasoningTokens);
        return new Answer(context.ids().completionId(), context.config().clock().instant().getEpochSecond(),
                model, content, reasoning, toolCall, finishReason, usage, stopReason);
    }

    private String defaultContent(ChatRequest request) {
        String text = context.config().defaultReply().apply(request.lastUserText());
        if (!request.jsonResponse()) {
            return text;
        }
        ObjectNode json = context.json().createObjectNode().put("answer", text);
        return json.toString();
    }

    /**
     * No tool call when {@code tool_choice} is {@code none}; the behaviour's tool call when it names one; else, for a
     * request with tools and no forced content, the named tool choice, or the first tool when {@code tool_choice}
     * is {@code required} or the last user message mentions "weather".
     */
    private Answer.ToolCall toolCall(ChatRequest request, Behaviour.Reply reply) {
        if (request.toolChoiceIs("none")) {
            return null;
        }
        if (reply.toolName() != null) {
            return new Answer.ToolCall(context.ids().toolCallId(), reply.toolName(), reply.toolArguments());
        }
        if (reply.content() != null || !request.hasTools()) {
            return null;
        }
        String named = request.namedToolChoice();
        boolean wanted = named != null || request.toolChoiceIs("required")
                || request.lastUserText().toLowerCase(Locale.ROOT).contains("weather");
        if (!wanted) {
            return null;
        }
        JsonNode function = findFunction(request.tools(), named);
        String name = named != null ? named : function.path("name").asText("tool");
        return new Answer.ToolCall(context.ids().toolCallId(), name, defaultArguments(function.path("parameters")));
    }

    private static JsonNode findFunction(JsonNode tools, String name) {
        for (JsonNode tool : tools) {
            if (name == null || name.equals(tool.path("function").path("name").asText())) {
                return tool.path("function");
            }
        }
        return tools.get(0).path("function");
    }

    /** Example arguments for the schema: every required property (all if none is required) with a sample value. */
    private String defaultArguments(JsonNode schema) {
        JsonNode properties = schema.path("properties");
        List<String> names = new ArrayList<>();
        schema.path("required").forEach(n -> names.add(n.asText()));
        if (names.isEmpty()) {
            properties.fieldNames().forEachRemaining(names::add);
        }
        ObjectNode arguments = context.json().createObjectNode();
        for (String name : names) {
            JsonNode property = properties.path(name);
            switch (property.path("type").asText("string")) {
                case "integer", "number" -> arguments.put(name, 1);
                case "boolean" -> arguments.put(name, true);
                case "array" -> arguments.putArray(name);
                case "object" -> arguments.putObject(name);
                default -> arguments.put(name, property.path("enum").path(0).asText("example"));
            }
        }
        return arguments.toString();
    }

    static String head(String text, int maxChars) {
        return text.length() <= maxChars ? text : text.substring(0, maxChars);
    }
}
