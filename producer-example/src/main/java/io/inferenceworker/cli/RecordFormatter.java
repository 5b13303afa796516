package io.inferenceworker.cli;

import io.inferenceworker.schemas.Choice;
import io.inferenceworker.schemas.CompletionChunk;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.ContentPart;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.ToolCall;
import io.inferenceworker.schemas.UsageRecord;
import io.inferenceworker.schemas.VoteRecord;
import io.inferenceworker.schemas.VoteRequest;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** One line per record of the worker's topics, for people ({@code tail}, {@code dlq}). Stateless. */
final class RecordFormatter {
    private static final int TEXT_LIMIT = 80;

    private RecordFormatter() {
    }

    static String line(Object value) {
        return switch (value) {
            case CompletionResult r -> String.join("  ", "result", r.getJobId(), r.getStatus().toString(),
                    origin(r.getProvider(), r.getModel()), "attempts=" + r.getAttempts(),
                    r.getTimings() == null ? "" : "total=" + r.getTimings().getTotalMs() + "ms", outcome(r)).strip();
            case UsageRecord u -> String.join("  ", "usage", u.getJobId(), origin(u.getProvider(), u.getModel()),
                    "tokens=" + u.getPromptTokens() + "+" + u.getCompletionTokens() + "=" + u.getTotalTokens(),
                    "latency=" + u.getLatencyMs() + "ms", u.getTenant() == null ? "" : "tenant=" + u.getTenant(),
                    u.getEstimatedCost() == null ? "" : "cost=" + u.getEstimatedCost() + " " + u.getCurrency()).strip();
            case CompletionChunk c -> String.join("  ", "chunk", c.getJobId(), "attempt=" + c.getAttempt(),
                    "seq=" + c.getSequence(), "choice=" + c.getChoiceIndex(), chunkText(c),
                    c.getFinishReason() == null ? "" : "finish=" + c.getFinishReason(), c.getLast() ? "[last]" : "")
                    .strip();
            case VoteRequest v -> String.join("  ", "vote-request", v.getJobId(), v.getVote().toString(),
                    v.getVoter() == null ? "" : "voter=" + v.getVoter(), quote(v.getComment())).strip();
            case VoteRecord v -> String.join("  ", "vote", v.getJobId(), v.getVote().toString(),
                    origin(v.getProvider(), v.getModel()), "job=" + v.getJobStatus(),
                    "forward=" + v.getForwardStatus(), v.getVoter() == null ? "" : "voter=" + v.getVoter(),
                    quote(v.getForwardDetail())).strip();
            case CompletionRequest q -> String.join("  ", "request", q.getJobId(), origin(q.getProvider(), q.getModel()),
                    "messages=" + q.getMessages().size(), q.getStream() ? "stream" : "", quote(lastUserText(q))).strip();
            default -> String.valueOf(value);
        };
    }

    private static String outcome(CompletionResult r) {
        if (r.getError() != null) {
            return "error=" + r.getError().getCode() + ": " + r.getError().getMessage();
        }
        List<Choice> choices = r.getChoices();
        if (choices.isEmpty()) {
            return "";
        }
        Choice first = choices.get(0);
        if (first.getToolCalls() != null && !first.getToolCalls().isEmpty()) {
            return "tool_calls=" + first.getToolCalls().stream().map(ToolCall::getName).toList();
        }
        return quote(first.getContent());
    }

    private static String chunkText(CompletionChunk c) {
        if (c.getContentDelta() != null) {
            return quote(c.getContentDelta());
        }
        if (c.getReasoningDelta() != null) {
            return "reasoning=" + quote(c.getReasoningDelta());
        }
        if (c.getToolCallDeltas() != null) {
            return "tool_call_deltas=" + c.getToolCallDeltas().size();
        }
        return "";
    }

    private static String lastUserText(CompletionRequest q) {
        for (int i = q.getMessages().size() - 1; i >= 0; i--) {
            Message m = q.getMessages().get(i);
            if (m.getContent() instanceof CharSequence text) {
                return text.toString();
            }
            if (m.getContent() instanceof List<?> parts) {
                return parts.stream().map(part -> part instanceof ContentPart p
                        ? Objects.toString(p.getText(), Objects.toString(p.getUrl(), "")) : String.valueOf(part))
                        .collect(Collectors.joining(" "));
            }
        }
        return null;
    }

    static String origin(String provider, String model) {
        return Objects.toString(provider, "?") + (model == null ? "" : "/" + model);
    }

    static String quote(String text) {
        if (text == null) {
            return "";
        }
        String flat = text.replace('\n', ' ').replace('\r', ' ');
        return "\"" + (flat.length() > TEXT_LIMIT ? flat.substring(0, TEXT_LIMIT - 1) + "…" : flat) + "\"";
    }
}
