package io.inferenceworker.testkit.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders an {@link Answer} in the OpenAI chat-completions shape, as a reply and as stream chunks. The variations
 * between the OpenAI-style dialects are two flags. Thread-safe.
 *
 * @param withObject     write {@code object} ({@code chat.completion[.chunk]}); Vultr's replies have none
 * @param withVllmExtras write vLLM's extra fields: {@code stop_reason}, {@code logprobs: null},
 *                       {@code prompt_tokens_details: null}, {@code system_fingerprint}
 * @param toolCallIds    give tool calls an {@code id}; Vultr's sample has none
 * @param fragmentIndexes give streamed tool-call fragments an {@code index}; Vultr's may carry none
 */
record OpenAiWire(boolean withObject, boolean withVllmExtras, boolean toolCallIds, boolean fragmentIndexes) {

    /** OpenAI's own shape: ids and indexes present. */
    OpenAiWire(boolean withObject, boolean withVllmExtras) {
        this(withObject, withVllmExtras, true, true);
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int TOOL_ARGUMENT_FRAGMENTS = 3;
    /** The {@code system_fingerprint} of vLLM-style answers (nscale's reference lists it). */
    static final String SYSTEM_FINGERPRINT = "fp_sim_vllm";

    /** The non-streaming reply. */
    ObjectNode completion(Answer answer, ChatRequest request) {
        ObjectNode reply = envelope(answer, "chat.completion");
        ArrayNode choices = reply.putArray("choices");
        for (int index = 0; index < request.choices(); index++) {
            ObjectNode choice = choices.addObject().put("index", index);
            ObjectNode message = choice.putObject("message").put("role", "assistant");
            message.put("content", answer.content());
            if (answer.reasoning() != null) {
                message.put("reasoning_content", answer.reasoning());
            }
            Answer.ToolCall call = answer.toolCall();
            if (call != null) {
                ObjectNode toolCall = message.putArray("tool_calls").addObject();
                if (toolCallIds) {
                    toolCall.put("id", call.id());
                }
                toolCall.put("type", "function");
                toolCall.putObject("function").put("name", call.name()).put("arguments", call.arguments());
            }
            if (request.logprobs()) {
                choice.set("logprobs", logprobs(Tokens.split(answer.content()), request.topLogprobs()));
            } else if (withVllmExtras) {
                choice.putNull("logprobs");
            }
            choice.put("finish_reason", answer.finishReason());
            if (withVllmExtras) {
                choice.put("stop_reason", answer.stopReason());
            }
        }
        reply.set("usage", usage(answer.usage()));
        if (withVllmExtras) {
            reply.put("system_fingerprint", SYSTEM_FINGERPRINT);
        }
        return reply;
    }

    /** The stream's chunks, in order, without the final {@code [DONE]}. */
    List<ObjectNode> chunks(Answer answer, ChatRequest request) {
        List<ObjectNode> chunks = new ArrayList<>();
        for (int index = 0; index < request.choices(); index++) {
            chunks.add(chunk(answer, index, delta().put("role", "assistant").put("content", "")));
            for (String token : Tokens.split(answer.reasoning())) {
                chunks.add(chunk(answer, index, delta().put("reasoning_content", token)));
            }
            if (answer.toolCall() != null) {
                addToolCallChunks(chunks, answer, index);
            } else {
                for (String token : Tokens.split(answer.content())) {
                    ObjectNode chunk = chunk(answer, index, delta().put("content", token));
                    if (request.logprobs()) {
                        ((ObjectNode) chunk.path("choices").get(0))
                                .set("logprobs", logprobs(List.of(token), request.topLogprobs()));
                    }
                    chunks.add(chunk);
                }
            }
            ObjectNode last = chunk(answer, index, delta());
            ObjectNode lastChoice = (ObjectNode) last.path("choices").get(0);
            lastChoice.put("finish_reason", answer.finishReason());
            if (withVllmExtras) {
                lastChoice.put("stop_reason", answer.stopReason());
                last.put("system_fingerprint", SYSTEM_FINGERPRINT);
            }
            chunks.add(last);
        }
        if (request.includeUsage()) {
            ObjectNode usageChunk = envelope(answer, "chat.completion.chunk");
            usageChunk.putArray("choices");
            usageChunk.set("usage", usage(answer.usage()));
            chunks.add(usageChunk);
        }
        return chunks;
    }

    /** The first fragment names the call; the others append to {@code function.arguments}. */
    private void addToolCallChunks(List<ObjectNode> chunks, Answer answer, int choiceIndex) {
        Answer.ToolCall call = answer.toolCall();
        ObjectNode first = delta();
        ObjectNode head = first.putArray("tool_calls").addObject();
        if (fragmentIndexes) {
            head.put("index", 0);
        }
        if (toolCallIds) {
            head.put("id", call.id());
        }
        head.put("type", "function");
        head.putObject("function").put("name", call.name()).put("arguments", "");
        chunks.add(chunk(answer, choiceIndex, first));
        for (String fragment : fragments(call.arguments(), TOOL_ARGUMENT_FRAGMENTS)) {
            ObjectNode next = delta();
            ObjectNode part = next.putArray("tool_calls").addObject();
            if (fragmentIndexes) {
                part.put("index", 0);
            }
            part.putObject("function").put("arguments", fragment);
            chunks.add(chunk(answer, choiceIndex, next));
        }
    }

    private ObjectNode chunk(Answer answer, int index, ObjectNode delta) {
        ObjectNode chunk = envelope(answer, "chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", index);
        choice.set("delta", delta);
        choice.putNull("finish_reason");
        return chunk;
    }

    private ObjectNode envelope(Answer answer, String object) {
        ObjectNode node = NODES.objectNode().put("id", answer.id());
        if (withObject) {
            node.put("object", object);
        }
        return node.put("created", answer.created()).put("model", answer.model());
    }

    private ObjectNode usage(Answer.Usage usage) {
        ObjectNode node = NODES.objectNode()
                .put("prompt_tokens", usage.promptTokens())
                .put("completion_tokens", usage.completionTokens())
                .put("total_tokens", usage.totalTokens());
        if (withVllmExtras) {
            node.putNull("prompt_tokens_details");
        }
        if (usage.reasoningTokens() > 0) {
            node.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        }
        return node;
    }

    /** {@code {"content":[{token, logprob, bytes, top_logprobs}]}}, deterministic values. */
    private static ObjectNode logprobs(List<String> tokens, int top) {
        ObjectNode logprobs = NODES.objectNode();
        ArrayNode content = logprobs.putArray("content");
        for (int i = 0; i < tokens.size(); i++) {
            double logprob = -0.01 * (i % 10 + 1);
            ObjectNode entry = tokenLogprob(tokens.get(i), logprob);
            ArrayNode alternatives = entry.putArray("top_logprobs");
            for (int rank = 0; rank < top; rank++) {
                alternatives.add(tokenLogprob(rank == 0 ? tokens.get(i) : " alt" + rank, logprob - rank));
            }
            content.add(entry);
        }
        return logprobs;
    }

    private static ObjectNode tokenLogprob(String token, double logprob) {
        ObjectNode node = NODES.objectNode().put("token", token).put("logprob", logprob);
        ArrayNode bytes = node.putArray("bytes");
        for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b & 0xff);
        }
        return node;
    }

    private static ObjectNode delta() {
        return NODES.objectNode();
    }

    /** Splits {@code text} into at most {@code parts} non-empty consecutive pieces. */
    static List<String> fragments(String text, int parts) {
        List<String> fragments = new ArrayList<>();
        int size = Math.max(1, (text.length() + parts - 1) / parts);
        for (int start = 0; start < text.length(); start += size) {
            fragments.add(text.substring(start, Math.min(text.length(), start + size)));
        }
        return fragments;
    }
}
