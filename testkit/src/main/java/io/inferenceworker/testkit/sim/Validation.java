package io.inferenceworker.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/** Request checks the dialects share; each returns the first problem found. Chain them with {@link Optional#or}. */
final class Validation {

    private Validation() {
    }

    /** {@code model} (when required) a string; {@code messages} a non-empty array of objects with a string role. */
    static Optional<ErrorSpec> openAiCommon(ChatRequest request, int status, boolean modelRequired) {
        if (modelRequired && request.model() == null) {
            return Optional.of(ErrorSpec.invalid(status, "Field 'model' is required and must be a string.", "model"));
        }
        return messages(request, status).or(() -> bool(request.body(), "stream", status));
    }

    static Optional<ErrorSpec> messages(ChatRequest request, int status) {
        JsonNode messages = request.messages();
        if (!messages.isArray()) {
            return Optional.of(ErrorSpec.invalid(status, "Field 'messages' is required and must be an array.",
                    "messages"));
        }
        if (messages.isEmpty()) {
            return Optional.of(ErrorSpec.invalid(status, "Field 'messages' must contain at least one message.",
                    "messages"));
        }
        for (int i = 0; i < messages.size(); i++) {
            if (!messages.get(i).path("role").isTextual()) {
                return Optional.of(ErrorSpec.invalid(status, "messages[" + i + "].role is required.",
                        "messages[" + i + "].role"));
            }
        }
        return Optional.empty();
    }

    /** When present, {@code field} is a number within {@code [min, max]}. */
    static Optional<ErrorSpec> range(JsonNode body, String field, double min, double max, int status) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
            return Optional.of(ErrorSpec.invalid(status, "Field '" + field + "' must be a number between "
                    + format(min) + " and " + format(max) + ", got " + value + ".", field));
        }
        return Optional.empty();
    }

    /** The body has no member outside {@code known} (a strict API schema: "extra inputs are not permitted"). */
    static Optional<ErrorSpec> onlyFields(JsonNode body, Set<String> known, int status) {
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                return Optional.of(ErrorSpec.invalid(status, "Unknown field '" + name + "': extra inputs are not "
                        + "permitted.", name));
            }
        }
        return Optional.empty();
    }

    /** When present, {@code field} is a boolean. */
    static Optional<ErrorSpec> bool(JsonNode body, String field, int status) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull() || value.isBoolean()) {
            return Optional.empty();
        }
        return Optional.of(ErrorSpec.invalid(status, "Field '" + field + "' must be a boolean.", field));
    }

    private static String format(double bound) {
        return bound == Math.rint(bound) && Math.abs(bound) < 1e15 ? Long.toString((long) bound) : Double.toString(bound);
    }
}
