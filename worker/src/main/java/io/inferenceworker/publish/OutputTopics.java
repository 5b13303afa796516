package io.inferenceworker.publish;

import java.util.Objects;

/**
 * Where one job's outputs go.
 *
 * @param results its {@code CompletionResult}
 * @param usage   its {@code UsageRecord}
 * @param chunks  its {@code CompletionChunk}s
 */
public record OutputTopics(String results, String usage, String chunks) {
    public OutputTopics {
        Objects.requireNonNull(results, "results");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(chunks, "chunks");
    }
}
