package io.inferenceworker.provider.compat;

import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.Delta;
import io.inferenceworker.provider.DeltaSink;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.inferenceworker.provider.compat.OpenAiJson.ChatChunk;
import io.inferenceworker.provider.compat.OpenAiJson.ChunkChoice;
import io.inferenceworker.provider.compat.OpenAiJson.ChunkDelta;
import io.inferenceworker.provider.compat.OpenAiJson.ToolCallJson;
import io.inferenceworker.schemas.Choice;
import io.inferenceworker.schemas.ToolCall;
import io.inferenceworker.schemas.ToolCallDelta;
import io.inferenceworker.schemas.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Turns the chunks of one streamed answer into {@link Delta}s for the {@link DeltaSink} (as they arrive, in order,
 * one per choice and chunk, empty ones skipped) and into the complete {@link ChatReply}.
 *
 * <p>Merging: content and reasoning ({@code reasoning_content} or {@code reasoning}) are concatenated per choice;
 * tool-call fragments are merged by their {@code index} — the first carries {@code id}, {@code type} and
 * {@code function.name}, later ones append to {@code function.arguments} (a fragment without an index continues the
 * call with its {@code id}, else starts a new call when it brings a new id or a function name, else continues the
 * last call: two calls are never merged into one); the last {@code finish_reason} and {@code stop_reason} win;
 * {@code logprobs.content} arrays are concatenated; {@code system_fingerprint} is kept. The usage comes from
 * whichever chunk carries it, normally the last one with {@code choices: []}; none at all stays null (a dialect may
 * then estimate it, see {@link OpenAiReplyMapper#withEstimatedUsage}). A reasoning or content never streamed stays
 * null.
 *
 * <p>Not thread-safe: one per attempt.
 */
final class StreamAssembler {
    private final DeltaSink sink;
    private final Map<Integer, ChoiceState> choices = new TreeMap<>();
    private String id;
    private String model;
    private Usage usage;
    private String systemFingerprint;

    public StreamAssembler(DeltaSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Merges one chunk and forwards its deltas. */
    public void accept(ChatChunk chunk) {
        Objects.requireNonNull(chunk, "chunk");
        if (id == null) {
            id = chunk.id();
        }
        if (chunk.model() != null) {
            model = chunk.model();
        }
        if (chunk.usage() != null) {
            usage = OpenAiReplyMapper.toUsage(chunk.usage());
        }
        if (chunk.systemFingerprint() != null) {
            systemFingerprint = chunk.systemFingerprint();
        }
        if (chunk.choices() == null) {
            return;
        }
        for (int i = 0; i < chunk.choices().size(); i++) {
            ChunkChoice choice = chunk.choices().get(i);
            if (choice != null) {
                int index = choice.index() == null ? i : choice.index();
                Delta delta = choices.computeIfAbsent(index, ChoiceState::new).merge(choice);
                if (!delta.isEmpty()) {
                    sink.onDelta(delta);
                }
            }
        }
    }

    /**
     * The answer assembled so far.
     *
     * @param providerRequestId the provider's request-ID header, or null
     * @param requestedModel    the model asked for, used when no chunk named one
     */
    public ChatReply reply(String providerRequestId, String requestedModel) {
        List<Choice> result = new ArrayList<>(choices.size());
        choices.values().forEach(state -> result.add(state.toChoice()));
        return new ChatReply(id, model != null ? model : requestedModel, result, usage, providerRequestId,
                systemFingerprint);
    }

    /**
     * Delivers a whole answer to {@code sink} as one delta per choice: for a server that answered a streaming request
     * with plain JSON.
     */
    public static void replay(ChatReply reply, DeltaSink sink) {
        for (Choice choice : reply.choices()) {
            List<ToolCallDelta> calls = new ArrayList<>();
            if (choice.getToolCalls() != null) {
                for (int i = 0; i < choice.getToolCalls().size(); i++) {
                    ToolCall call = choice.getToolCalls().get(i);
                    calls.add(new ToolCallDelta(i, call.getId(), call.getType(), call.getName(), call.getArguments()));
                }
            }
            Delta delta = new Delta(choice.getIndex(), choice.getRole(), choice.getContent(),
                    choice.getReasoningContent(), calls, choice.getFinishReason());
            if (!delta.isEmpty()) {
                sink.onDelta(delta);
            }
        }
    }

    /** Everything streamed so far for one choice. */
    private static final class ChoiceState {
        private final int index;
        private String role;
        private StringBuilder content;
        private StringBuilder reasoning;
        private final TreeMap<Integer, ToolCallState> toolCalls = new TreeMap<>();
        private String finishReason;
        private String stopReason;
        private ArrayNode logprobContent;

        ChoiceState(int index) {
            this.index = index;
        }

        Delta merge(ChunkChoice choice) {
            ChunkDelta delta = choice.delta();
            String deltaRole = null;
            String deltaContent = null;
            String deltaReasoning = null;
            List<ToolCallDelta> fragments = List.of();
            if (delta != null) {
                deltaRole = delta.role();
                if (deltaRole != null) {
                    role = deltaRole;
                }
                deltaContent = delta.content();
                if (deltaContent != null) {
                    content = (content == null ? new StringBuilder() : content).append(deltaContent);
                }
                deltaReasoning = delta.reasoningText();
                if (deltaReasoning != null) {
                    reasoning = (reasoning == null ? new StringBuilder() : reasoning).append(deltaReasoning);
                }
                if (delta.toolCalls() != null) {
                    fragments = new ArrayList<>(delta.toolCalls().size());
                    for (ToolCallJson fragment : delta.toolCalls()) {
                        if (fragment != null) {
                            fragments.add(mergeToolCall(fragment));
                        }
                    }
                }
            }
            if (choice.finishReason() != null) {
                finishReason = choice.finishReason();
            }
            String stop = OpenAiReplyMapper.stopReason(choice.stopReason());
            if (stop != null) {
                stopReason = stop;
            }
            mergeLogprobs(choice.logprobs());
            return new Delta(index, deltaRole, deltaContent, deltaReasoning, fragments, choice.finishReason());
        }

        private ToolCallDelta mergeToolCall(ToolCallJson fragment) {
            int at = indexOf(fragment);
            ToolCallState call = toolCalls.computeIfAbsent(at, k -> new ToolCallState());
            String name = fragment.function() == null ? null : fragment.function().name();
            String arguments = fragment.function() == null ? null : fragment.function().argumentsText();
            if (call.id == null) {
                call.id = fragment.id();
            }
            if (call.type == null) {
                call.type = fragment.type();
            }
            if (call.name == null) {
                call.name = name;
            }
            if (arguments != null) {
                call.arguments.append(arguments);
            }
            return new ToolCallDelta(at, fragment.id(), fragment.type(), name, arguments);
        }

        /**
         * The call a fragment belongs to: its {@code index}; without one (Vultr), the call with its {@code id}, else a
         * new call when it brings a new id or a function name (a name starts a call: continuing the last one would
         * merge two calls), except that a name completes a last call that has an id but no name yet; else the last
         * call.
         */
        private int indexOf(ToolCallJson fragment) {
            if (fragment.index() != null) {
                return fragment.index();
            }
            if (toolCalls.isEmpty()) {
                return 0;
            }
            int next = toolCalls.lastKey() + 1;
            if (fragment.id() != null) {
                for (Map.Entry<Integer, ToolCallState> e : toolCalls.entrySet()) {
                    if (fragment.id().equals(e.getValue().id)) {
                        return e.getKey();
                    }
                }
                return next;
            }
            String name = fragment.function() == null ? null : fragment.function().name();
            ToolCallState last = toolCalls.lastEntry().getValue();
            if (name != null && !name.isEmpty() && (last.name != null || last.id == null)) {
                return next;
            }
            return toolCalls.lastKey();
        }

        private void mergeLogprobs(JsonNode logprobs) {
            if (logprobs == null || !logprobs.isObject()) {
                return;
            }
            JsonNode items = logprobs.get("content");
            if (items != null && items.isArray()) {
                if (logprobContent == null) {
                    logprobContent = JsonNodeFactory.instance.arrayNode();
                }
                logprobContent.addAll((ArrayNode) items);
            }
        }

        Choice toChoice() {
            List<ToolCall> calls = null;
            if (!toolCalls.isEmpty()) {
                calls = new ArrayList<>(toolCalls.size());
                for (ToolCallState call : toolCalls.values()) {
                    calls.add(new ToolCall(call.id, call.type == null ? "function" : call.type,
                            call.name == null ? "" : call.name, call.arguments.toString()));
                }
            }
            String logprobs = null;
            if (logprobContent != null) {
                logprobs = JsonNodeFactory.instance.objectNode().set("content", logprobContent).toString();
            }
            return Choice.newBuilder()
                    .setIndex(index)
                    .setRole(role)
                    .setContent(content == null ? null : content.toString())
                    .setReasoningContent(reasoning == null ? null : reasoning.toString())
                    .setToolCalls(calls)
                    .setFinishReason(finishReason)
                    .setLogprobs(logprobs)
                    .setStopReason(stopReason)
                    .build();
        }
    }

    /** One tool call being assembled from fragments. */
    private static final class ToolCallState {
        private String id;
        private String type;
        private String name;
        private final StringBuilder arguments = new StringBuilder();
    }
}
