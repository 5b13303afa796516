package io.inferenceworker.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * What the OpenAI-style dialects (Vultr, NVIDIA, nscale, generic OpenAI) share: Bearer auth, the
 * {@code /v1/chat/completions} and {@code /v1/models} routes, {@code data:}-line streams ending in
 * {@code data: [DONE]}, and the common validation. Subclasses choose the wire flags, error bodies and extras.
 */
abstract class OpenAiStyleDialect implements ChatDialect {

    static final String CHAT_PATH = "/v1/chat/completions";
    private static final String DONE = "data: [DONE]\n\n";

    private final SimContext context;
    private final ChatFlow flow;
    private final OpenAiWire wire;
    private final List<String> defaultModels;

    OpenAiStyleDialect(SimContext context, ChatFlow flow, OpenAiWire wire, List<String> defaultModels) {
        this.context = context;
        this.flow = flow;
        this.wire = wire;
        this.defaultModels = List.copyOf(defaultModels);
    }

    /** The dialect's error body for {@code error}. */
    abstract JsonNode errorBody(ErrorSpec error, Behaviour behaviour);

    /** Routes this dialect adds to the common ones; true when it answered. */
    boolean handleExtraRoute(SimExchange exchange) throws IOException {
        return false;
    }

    @Override
    public void handle(SimExchange exchange) throws IOException {
        if (handleExtraRoute(exchange)) {
            return;
        }
        String path = exchange.subPath();
        if (path.equals(CHAT_PATH) && exchange.method().equals("POST")) {
            flow.run(exchange, this);
        } else if (path.equals("/v1/models") && exchange.method().equals("GET")) {
            sendModels(exchange);
        } else {
            sendError(exchange, ErrorSpec.notFound("No route for " + exchange.method() + " " + exchange.path()),
                    Behaviour.ok());
        }
    }

    @Override
    public String authScheme() {
        return "Bearer";
    }

    @Override
    public void addStandardHeaders(SimExchange exchange) {
        exchange.setHeader("x-request-id", context.ids().requestId());
    }

    @Override
    public void sendError(SimExchange exchange, ErrorSpec error, Behaviour behaviour) throws IOException {
        exchange.sendJson(error.status(), errorBody(error, behaviour));
    }

    /** Common checks: {@code model} when required, {@code messages} a non-empty array of objects with a role. */
    @Override
    public Optional<ErrorSpec> validate(SimExchange exchange, ChatRequest request) {
        return Validation.openAiCommon(request, 400, modelRequired());
    }

    boolean modelRequired() {
        return true;
    }

    /** The status of a successful stream (nscale: 201). */
    int streamStatus() {
        return 200;
    }

    /** The JSON written in place of {@code [DONE]} when a stream fails. */
    JsonNode streamErrorBody(ErrorSpec error, Behaviour behaviour) {
        return errorBody(error, behaviour);
    }

    @Override
    public void sendAnswer(SimExchange exchange, ChatRequest request, Answer answer, Behaviour behaviour)
            throws IOException {
        if (request.stream()) {
            stream(exchange, request, answer, behaviour);
            return;
        }
        switch (behaviour.kind()) {
            case MALFORMED_JSON -> exchange.send(200, SimExchange.JSON,
                    ("{\"id\":\"" + answer.id() + "\",\"choices\":[{\"message\":{\"content\":\"trunc")
                            .getBytes(StandardCharsets.UTF_8));
            case MID_STREAM_ERROR -> sendError(exchange, ErrorSpec.streamFailure(), behaviour);
            default -> sendCompletion(exchange, request, answer, behaviour);
        }
    }

    /** Sends the non-streaming reply (NVIDIA overrides it for 202). */
    void sendCompletion(SimExchange exchange, ChatRequest request, Answer answer, Behaviour behaviour)
            throws IOException {
        exchange.sendJson(200, wire.completion(answer, request));
    }

    private void stream(SimExchange exchange, ChatRequest request, Answer answer, Behaviour behaviour)
            throws IOException {
        List<ObjectNode> chunks = wire.chunks(answer, request);
        try (SimExchange.EventStream events = exchange.openStream(streamStatus(), context.pacing(),
                behaviour.options().chunkDelay())) {
            switch (behaviour.kind()) {
                case MALFORMED_JSON -> {
                    if (events.write(data(exchange, chunks.getFirst()))) {
                        events.write("data: {\"id\":\"" + answer.id() + "\",\"choices\":[{\"delta\":{\"cont\n\n");
                        events.write(DONE);
                    }
                }
                case MID_STREAM_ERROR -> {
                    int sent = Math.max(1, chunks.size() / 2);
                    for (ObjectNode chunk : chunks.subList(0, sent)) {
                        if (!events.write(data(exchange, chunk))) {
                            return;
                        }
                    }
                    String error = exchange.json(streamErrorBody(ErrorSpec.streamFailure(), behaviour));
                    events.write((behaviour.options().errorEvent() ? "event: error\n" : "") + "data: " + error + "\n\n");
                }
                default -> {
                    for (ObjectNode chunk : chunks) {
                        if (!events.write(data(exchange, chunk))) {
                            return;
                        }
                    }
                    events.write(DONE);
                }
            }
        }
    }

    private static String data(SimExchange exchange, JsonNode chunk) {
        return "data: " + exchange.json(chunk) + "\n\n";
    }

    /** {@code {"object":"list","data":[{id, object, created, owned_by}]}}. */
    private void sendModels(SimExchange exchange) throws IOException {
        ObjectNode list = context.json().createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        long created = context.config().clock().instant().getEpochSecond();
        for (String model : defaultModels) {
            data.addObject().put("id", model).put("object", "model").put("created", created)
                    .put("owned_by", dialect().pathSegment());
        }
        exchange.sendJson(200, list);
    }

    SimContext context() {
        return context;
    }

    ChatFlow flow() {
        return flow;
    }

    OpenAiWire wire() {
        return wire;
    }
}
