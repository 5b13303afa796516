package io.inferenceworker.provider.compat;

import io.inferenceworker.provider.InvalidRequestException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inferenceworker.provider.compat.OpenAiJson.ChatRequest;
import io.inferenceworker.provider.compat.OpenAiJson.FunctionCall;
import io.inferenceworker.provider.compat.OpenAiJson.FunctionDefinition;
import io.inferenceworker.provider.compat.OpenAiJson.RequestMessage;
import io.inferenceworker.provider.compat.OpenAiJson.ToolCallJson;
import io.inferenceworker.provider.compat.OpenAiJson.ToolDefinition;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.ContentPart;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.ResponseFormat;
import io.inferenceworker.schemas.Tool;
import io.inferenceworker.schemas.ToolCall;
import io.inferenceworker.schemas.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Maps a {@link CompletionRequest} to the OpenAI-compatible request body, sending only what the job set (a null
 * field stays absent, so the provider's default applies). JSON carried as text in the contract ({@code tools[].parameters},
 * {@code response_format.json_schema}, {@code chat_template_kwargs}) is parsed and sent as JSON; tool-call arguments
 * of the history stay verbatim strings. Not streamed: the adapter adds streaming with
 * {@link ChatRequest#withStreaming()}. {@code rag_collection} has no place in this format and is not mapped: adapters
 * reject it in {@code validate} (see {@link OpenAiCompatibleClient#validate}); nor is {@code asset_ids}, which NVIDIA
 * sends as a header. Dialect variations of the body are applied to the result by the dialect's {@link ChatWire}
 * ({@link ChatRequest#withContentOnEveryMessage()}, {@link ChatRequest#withoutStreamOptions()}).
 *
 * <p>Thread-safe.
 */
final class OpenAiRequestMapper {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectMapper json;

    public OpenAiRequestMapper(ObjectMapper json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    /**
     * @param request      the job's request
     * @param defaultModel the instance's model for requests that name none, or null
     * @param providerName the instance name, for error messages
     * @throws InvalidRequestException when no model is known or JSON text in the request is not valid JSON
     */
    public ChatRequest map(CompletionRequest request, String defaultModel, String providerName) {
        String model = request.getModel() != null && !request.getModel().isBlank() ? request.getModel() : defaultModel;
        if (model == null || model.isBlank()) {
            throw new InvalidRequestException("model", "request names no model and provider " + providerName
                    + " has no default-model");
        }
        List<RequestMessage> messages = new ArrayList<>(request.getMessages().size());
        for (Message message : request.getMessages()) {
            messages.add(message(message));
        }
        return new ChatRequest(
                model,
                messages,
                request.getMaxTokens(),
                null,
                request.getTemperature(),
                request.getTopP(),
                request.getTopK(),
                request.getSeed(),
                request.getStop() == null ? null : List.copyOf(request.getStop()),
                request.getN(),
                request.getFrequencyPenalty(),
                request.getPresencePenalty(),
                request.getLogprobs(),
                request.getTopLogprobs(),
                request.getLogitBias() == null ? null : Map.copyOf(request.getLogitBias()),
                responseFormat(request.getResponseFormat()),
                tools(request.getTools()),
                toolChoice(request.getToolChoice()),
                request.getChatTemplateKwargs() == null ? null
                        : parseObject(request.getChatTemplateKwargs(), "chat_template_kwargs", "chat_template_kwargs"),
                null,
                null);
    }

    private static RequestMessage message(Message message) {
        List<ToolCallJson> toolCalls = null;
        if (message.getToolCalls() != null) {
            toolCalls = new ArrayList<>(message.getToolCalls().size());
            for (ToolCall call : message.getToolCalls()) {
                toolCalls.add(new ToolCallJson(null, call.getId(), call.getType() == null ? "function" : call.getType(),
                        new FunctionCall(call.getName(), NODES.textNode(call.getArguments()))));
            }
        }
        return new RequestMessage(message.getRole().name().toLowerCase(Locale.ROOT), content(message.getContent()),
                message.getName(), message.getToolCallId(), toolCalls, message.getReasoningContent());
    }

    private static JsonNode content(Object content) {
        if (content == null) {
            return null;
        }
        if (content instanceof CharSequence text) {
            return NODES.textNode(text.toString());
        }
        ArrayNode parts = NODES.arrayNode();
        for (Object item : (List<?>) content) {
            ContentPart part = (ContentPart) item;
            ObjectNode node = parts.addObject();
            switch (part.getType()) {
                case TEXT -> node.put("type", "text").put("text", part.getText());
                case IMAGE_URL -> {
                    ObjectNode image = node.put("type", "image_url").putObject("image_url").put("url", part.getUrl());
                    if (part.getDetail() != null) {
                        image.put("detail", part.getDetail());
                    }
                }
                case VIDEO_URL -> node.put("type", "video_url").putObject("video_url").put("url", part.getUrl());
            }
        }
        return parts;
    }

    private List<ToolDefinition> tools(List<Tool> tools) {
        if (tools == null) {
            return null;
        }
        List<ToolDefinition> result = new ArrayList<>(tools.size());
        for (int i = 0; i < tools.size(); i++) {
            Tool tool = tools.get(i);
            JsonNode parameters = tool.getParameters() == null ? null
                    : parseObject(tool.getParameters(), "tools", "tools[" + i + "].parameters");
            result.add(new ToolDefinition(tool.getType() == null ? "function" : tool.getType(),
                    new FunctionDefinition(tool.getName(), tool.getDescription(), parameters, tool.getStrict())));
        }
        return result;
    }

    private static JsonNode toolChoice(ToolChoice choice) {
        if (choice == null) {
            return null;
        }
        return switch (choice.getMode()) {
            case AUTO -> NODES.textNode("auto");
            case NONE -> NODES.textNode("none");
            case REQUIRED -> NODES.textNode("required");
            case FUNCTION -> {
                if (choice.getFunctionName() == null || choice.getFunctionName().isBlank()) {
                    throw new InvalidRequestException("tool_choice",
                            "tool_choice FUNCTION needs function_name");
                }
                ObjectNode node = NODES.objectNode().put("type", "function");
                node.putObject("function").put("name", choice.getFunctionName());
                yield node;
            }
        };
    }

    private JsonNode responseFormat(ResponseFormat format) {
        if (format == null) {
            return null;
        }
        return switch (format.getType()) {
            case TEXT -> NODES.objectNode().put("type", "text");
            case JSON_OBJECT -> NODES.objectNode().put("type", "json_object");
            case JSON_SCHEMA -> {
                if (format.getJsonSchema() == null) {
                    throw new InvalidRequestException("response_format",
                            "response_format JSON_SCHEMA needs json_schema");
                }
                ObjectNode node = NODES.objectNode().put("type", "json_schema");
                node.set("json_schema", parseObject(format.getJsonSchema(), "response_format",
                        "response_format.json_schema"));
                yield node;
            }
        };
    }

    /** Parses JSON text that must be an object; the message names the field, never the text (it may be large). */
    private JsonNode parseObject(String text, String parameter, String field) {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(parameter, field + " is not valid JSON" + ErrorClassifier.where(e));
        }
        if (node == null || !node.isObject()) {
            throw new InvalidRequestException(parameter, field + " must be a JSON object");
        }
        return node;
    }
}
