package io.inferenceworker.cli;

import io.inferenceworker.schemas.Choice;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.ErrorInfo;
import io.inferenceworker.schemas.RouteHop;
import io.inferenceworker.schemas.Timings;
import io.inferenceworker.schemas.ToolCall;
import io.inferenceworker.schemas.Usage;
import java.io.PrintWriter;

/** Prints a {@link CompletionResult} for people, one labelled line per fact. Stateless. */
final class ResultPrinter {
    private ResultPrinter() {
    }

    /**
     * @param answerShown whether the answer text was already printed (streamed): then it is not repeated
     */
    static void print(CompletionResult result, PrintWriter out, boolean answerShown) {
        line(out, "status", result.getStatus() + " after " + result.getAttempts()
                + (result.getAttempts() == 1 ? " attempt" : " attempts") + timings(result.getTimings()));
        StringBuilder origin = new StringBuilder();
        append(origin, "provider ", result.getProvider());
        append(origin, "model ", result.getModel());
        append(origin, "response ", result.getResponseId());
        if (!origin.isEmpty()) {
            line(out, "from", origin.toString());
        }
        if (result.getRoute() != null) {
            StringBuilder hops = new StringBuilder(result.getRoute() + ":");
            for (RouteHop hop : result.getHops()) {
                hops.append(' ').append(hop.getProvider()).append(' ').append(hop.getStatus())
                        .append(hop.getErrorCode() == null ? "" : " (" + hop.getErrorCode() + ")")
                        .append(result.getHops().indexOf(hop) < result.getHops().size() - 1 ? " ->" : "");
            }
            line(out, "route", hops.toString());
        }
        boolean several = result.getChoices().size() > 1;
        for (Choice choice : result.getChoices()) {
            String label = several ? "choice " + choice.getIndex() : "answer";
            if (choice.getReasoningContent() != null) {
                line(out, several ? label + " reasoning" : "reasoning", choice.getReasoningContent());
            }
            if (choice.getContent() != null && !answerShown) {
                line(out, label, choice.getContent());
            }
            if (choice.getToolCalls() != null) {
                for (ToolCall call : choice.getToolCalls()) {
                    line(out, "tool call", call.getName() + " " + call.getArguments()
                            + (call.getId() == null ? "" : "  (id " + call.getId() + ")"));
                }
            }
            if (choice.getFinishReason() != null) {
                line(out, several ? label + " finish" : "finish", choice.getFinishReason());
            }
        }
        Usage usage = result.getUsage();
        if (usage != null) {
            line(out, "usage", usage.getPromptTokens() + " prompt + " + usage.getCompletionTokens() + " completion = "
                    + usage.getTotalTokens() + " tokens"
                    + (usage.getReasoningTokens() == null ? "" : " (" + usage.getReasoningTokens() + " reasoning)"));
        }
        ErrorInfo error = result.getError();
        if (error != null) {
            line(out, "error", error.getCode() + ": " + error.getMessage()
                    + (error.getHttpStatus() == null ? "" : " (HTTP " + error.getHttpStatus() + ")")
                    + (error.getRetryable() ? " [retryable]" : ""));
        }
        out.flush();
    }

    private static String timings(Timings timings) {
        return timings == null ? "" : " (" + timings.getTotalMs() + " ms in total, " + timings.getProviderLatencyMs()
                + " ms at the provider)";
    }

    private static void append(StringBuilder text, String label, String value) {
        if (value != null) {
            text.append(text.isEmpty() ? "" : ", ").append(label).append(value);
        }
    }

    private static void line(PrintWriter out, String label, String value) {
        out.printf("  %-10s %s%n", label + ":", value);
    }
}
