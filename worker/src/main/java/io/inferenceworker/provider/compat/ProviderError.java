package io.inferenceworker.provider.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * An error body a provider sent, reduced to what every shape has in common.
 *
 * <p>Understood shapes: OpenAI and newer vLLM {@code {"error": {"message", "type", "param", "code"}}} ({@code code}
 * a string or a number); older vLLM {@code {"object": "error", "message", "type", "param", "code"}};
 * {@code {"error": "text"}}; classic Elasticsearch {@code {"error": {"root_cause", "type", "reason"}, "status"}};
 * problem details {@code {"type", "title", "status", "detail"}} (NVIDIA); and a bare {@code {"message"}} or
 * {@code {"detail"}}.
 *
 * @param message what the provider said, or null; may be long and is not yet redacted
 * @param type    the error type, or null
 * @param code    the error code as text (a numeric code becomes its decimal text), or null
 * @param param   the offending parameter, or null
 */
record ProviderError(String message, String type, String code, String param) {

    /** Parses {@code body}; empty when it is not JSON or has none of the shapes above. */
    public static Optional<ProviderError> parse(ObjectMapper mapper, String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            return of(mapper.readTree(body));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Reads an already parsed body; empty when it has none of the shapes above. */
    public static Optional<ProviderError> of(JsonNode root) {
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        JsonNode error = root.get("error");
        if (error != null && error.isObject()) {
            String message = text(error, "message");
            if (message == null) {
                message = text(error, "reason");
            }
            return Optional.of(new ProviderError(message, text(error, "type"), text(error, "code"),
                    text(error, "param")));
        }
        if (error != null && error.isTextual()) {
            return Optional.of(new ProviderError(error.asText(), text(root, "type"), text(root, "code"), null));
        }
        if ("error".equals(text(root, "object")) || root.has("message")) {
            return Optional.of(new ProviderError(text(root, "message"), text(root, "type"), text(root, "code"),
                    text(root, "param")));
        }
        if (root.has("title") || root.has("detail")) {
            String detail = text(root, "detail");
            return Optional.of(new ProviderError(detail != null ? detail : text(root, "title"), text(root, "type"),
                    text(root, "status"), null));
        }
        return Optional.empty();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        return value.asText();
    }
}
