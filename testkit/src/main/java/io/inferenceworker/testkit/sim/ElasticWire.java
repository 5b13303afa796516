package io.inferenceworker.testkit.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The Elasticsearch inference API's stream: each event is a U+FEFF byte-order mark, {@code event: <name>},
 * {@code data: <one line>} and a blank line. Chunks have {@code id, choices, model, object} (no {@code created}),
 * null fields left out, and always end with a usage chunk whose {@code choices} is empty. Also renders its error
 * bodies: the classic Elasticsearch JSON and the {@code event: error} payload. Stateless.
 */
final class ElasticWire {

    static final String DONE = event("message", "[DONE]");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int TOOL_ARGUMENT_FRAGMENTS = 3;

    private ElasticWire() {
    }

    static String event(String name, String data) {
        return "\uFEFFevent: " + name + "\ndata: " + data + "\n\n";
    }

    static List<ObjectNode> chunks(Answer answer) {
        List<ObjectNode> chunks = new ArrayList<>();
        chunks.add(chunk(answer, NODES.objectNode().put("role", "assistant")));
        Answer.ToolCall call = answer.toolCall();
        if (call != null) {
            ObjectNode first = NODES.objectNode();
            ObjectNode head = first.putArray("tool_calls").addObject().put("index", 0).put("id", call.id());
            head.putObject("function").put("arguments", "").put("name", call.name());
            head.put("type", "function");
            chunks.add(chunk(answer, first));
            for (String fragment : OpenAiWire.fragments(call.arguments(), TOOL_ARGUMENT_FRAGMENTS)) {
                ObjectNode next = NODES.objectNode();
                next.putArray("tool_calls").addObject().put("index", 0)
                        .putObject("function").put("arguments", fragment);
                chunks.add(chunk(answer, next));
            }
        } else {
            for (String token : Tokens.split(answer.content())) {
                chunks.add(chunk(answer, NODES.objectNode().put("content", token)));
            }
        }
        chunks.add(chunk(answer, NODES.objectNode(), answer.finishReason()));
        chunks.add(usageChunk(answer));
        return chunks;
    }

    /** {@code {"delta":{…},"finish_reason"?,"index":0}}: finish_reason only on the last chunk, as Elasticsearch omits nulls. */
    private static ObjectNode chunk(Answer answer, ObjectNode delta) {
        return chunk(answer, delta, null);
    }

    private static ObjectNode chunk(Answer answer, ObjectNode delta, String finishReason) {
        ObjectNode chunk = NODES.objectNode().put("id", answer.id());
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.set("delta", delta);
        if (finishReason != null) {
            choice.put("finish_reason", finishReason);
        }
        choice.put("index", 0);
        return chunk.put("model", answer.model()).put("object", "chat.completion.chunk");
    }

    private static ObjectNode usageChunk(Answer answer) {
        ObjectNode chunk = NODES.objectNode().put("id", answer.id());
        chunk.putArray("choices");
        chunk.put("model", answer.model()).put("object", "chat.completion.chunk");
        Answer.Usage usage = answer.usage();
        ObjectNode node = chunk.putObject("usage")
                .put("completion_tokens", usage.completionTokens())
                .put("prompt_tokens", usage.promptTokens())
                .put("total_tokens", usage.totalTokens());
        node.putObject("prompt_tokens_details").put("cached_tokens", 0);
        node.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        return chunk;
    }

    /** {@code {"error":{"code","message","param"?,"type"}}}, the inference action's error event payload. */
    static ObjectNode errorEvent(ErrorSpec error) {
        ObjectNode root = NODES.objectNode();
        ObjectNode body = root.putObject("error");
        String code = switch (error.reason()) {
            case RATE_LIMITED -> "rate_limit_exceeded";
            case INSUFFICIENT_CREDIT -> "insufficient_quota";
            default -> ErrorSpec.snakeReason(error.status());
        };
        body.put("code", code).put("message", error.message());
        if (error.param() != null) {
            body.put("param", error.param());
        }
        body.put("type", error.reason() == ErrorSpec.Reason.INSUFFICIENT_CREDIT ? "insufficient_quota"
                : "status_exception");
        return root;
    }

    /** The classic {@code {"error":{"root_cause":[{type, reason}],"type","reason"},"status":N}}. */
    static ObjectNode classic(int status, String type, String reason) {
        ObjectNode root = NODES.objectNode();
        ObjectNode error = root.putObject("error");
        ArrayNode rootCause = error.putArray("root_cause");
        rootCause.addObject().put("type", type).put("reason", reason);
        error.put("type", type).put("reason", reason);
        return root.put("status", status);
    }
}
