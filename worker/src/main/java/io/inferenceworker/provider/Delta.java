package io.inferenceworker.provider;

import io.inferenceworker.schemas.ToolCallDelta;
import java.util.List;

/**
 * One streamed increment of one choice, as the provider sent it (tool-call fragments not yet merged).
 *
 * @param choiceIndex    which choice ({@code n > 1})
 * @param role           the role, usually only on the first delta
 * @param content        text appended to the answer, or null
 * @param reasoning      text appended to the reasoning, or null
 * @param toolCalls      tool-call fragments by index, empty when none
 * @param finishReason   set on the delta that ends the choice
 */
public record Delta(
        int choiceIndex,
        String role,
        String content,
        String reasoning,
        List<ToolCallDelta> toolCalls,
        String finishReason) {

    public Delta {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    /** True when the delta carries nothing a consumer could show. */
    public boolean isEmpty() {
        return role == null && content == null && reasoning == null && toolCalls.isEmpty() && finishReason == null;
    }
}
