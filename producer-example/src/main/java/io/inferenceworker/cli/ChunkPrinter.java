package io.inferenceworker.cli;

import io.inferenceworker.schemas.CompletionChunk;
import io.inferenceworker.schemas.ToolCallDelta;
import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * Prints the streamed answer of choice 0 as its chunks arrive. A retry restarts the stream with a higher
 * {@code attempt}: the printer says so and drops chunks of earlier attempts that arrive late. Not thread-safe.
 */
final class ChunkPrinter implements Consumer<CompletionChunk> {
    private final PrintWriter out;
    private int attempt;
    private boolean printed;

    ChunkPrinter(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void accept(CompletionChunk chunk) {
        if (chunk.getAttempt() < attempt || chunk.getChoiceIndex() != 0) {
            return;
        }
        if (chunk.getAttempt() > attempt) {
            if (attempt > 0) {
                out.printf("%n  [attempt %d restarts the stream]%n", chunk.getAttempt());
            }
            attempt = chunk.getAttempt();
        }
        if (!printed) {
            out.print("  streaming: ");
            printed = true;
        }
        if (chunk.getContentDelta() != null) {
            out.print(chunk.getContentDelta());
        }
        if (chunk.getToolCallDeltas() != null) {
            for (ToolCallDelta delta : chunk.getToolCallDeltas()) {
                if (delta.getName() != null) {
                    out.print("[tool call " + delta.getName() + "] ");
                }
                if (delta.getArgumentsDelta() != null) {
                    out.print(delta.getArgumentsDelta());
                }
            }
        }
        out.flush();
    }

    /** Whether any chunk was printed; ends the streamed line if so. */
    boolean finish() {
        if (printed) {
            out.println();
            out.flush();
        }
        return printed;
    }
}
