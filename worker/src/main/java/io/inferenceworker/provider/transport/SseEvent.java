package io.inferenceworker.provider.transport;

import java.util.Objects;

/**
 * One server-sent event.
 *
 * @param type the {@code event} field, {@value #DEFAULT_TYPE} when absent
 * @param data the {@code data} lines joined with {@code \n}
 */
public record SseEvent(String type, String data) {
    public static final String DEFAULT_TYPE = "message";

    public SseEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }

    /** Whether this is OpenAI's end marker {@code data: [DONE]}. */
    public boolean isDone() {
        return "[DONE]".equals(data.trim());
    }

    /** Whether the server framed it as an error ({@code event: error}). */
    public boolean isError() {
        return "error".equals(type);
    }
}
