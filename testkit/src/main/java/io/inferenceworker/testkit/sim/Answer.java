package io.inferenceworker.testkit.sim;

/**
 * The planned answer to one request, rendered by each dialect's wire format. Every choice of an {@code n > 1}
 * request carries the same answer.
 *
 * @param content      the assistant text, {@code null} for a tool call
 * @param reasoning    {@code reasoning_content}, or {@code null}
 * @param toolCall     the tool call, or {@code null}
 * @param finishReason {@code stop}, {@code length} or {@code tool_calls}
 * @param stopReason   the request's stop string the content was cut at (vLLM's {@code stop_reason}), or null
 */
record Answer(String id, long created, String model, String content, String reasoning, ToolCall toolCall,
              String finishReason, Usage usage, String stopReason) {

    record ToolCall(String id, String name, String arguments) {
    }

    record Usage(int promptTokens, int completionTokens, int reasoningTokens) {
        int totalTokens() {
            return promptTokens + completionTokens;
        }
    }
}
