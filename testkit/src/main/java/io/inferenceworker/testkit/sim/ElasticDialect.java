package io.inferenceworker.testkit.sim;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Elasticsearch inference API: {@code POST /_inference/chat_completion/{inference_id}/_stream} only, streaming
 * only, {@code Authorization: ApiKey …}. The body parser is strict like Elasticsearch's: an unknown top-level field
 * ({@code max_tokens}, {@code n}, {@code seed}, {@code stream}, …) is a 400 {@code x_content_parse_exception}.
 * Request and authentication failures are the classic Elasticsearch JSON; inference failures are an
 * {@code event: error} with the error's status before the stream, or in place of {@code [DONE]} mid-stream.
 * Every answer carries {@code X-elastic-product: Elasticsearch}, a generated {@code X-Cloud-Request-Id} (as
 * Elastic Cloud adds) and echoes {@code X-Opaque-Id} when the client sent one.
 */
final class ElasticDialect implements ChatDialect {

    private static final PathTemplate STREAM_PATH = PathTemplate.parse("/_inference/chat_completion/{id}/_stream");
    private static final Set<String> KNOWN_FIELDS = Set.of("messages", "model", "max_completion_tokens", "stop",
            "temperature", "tool_choice", "tools", "top_p");
    private static final Pattern TIME_VALUE = Pattern.compile("-1|0|\\d+(nanos|micros|ms|s|m|h|d)");
    private static final String VALIDATION_FAILED = "Validation Failed: ";
    private static final String BAD_SETTING = "failed to parse setting";

    private final SimContext context;
    private final ChatFlow flow;

    ElasticDialect(SimContext context, ChatFlow flow) {
        this.context = context;
        this.flow = flow;
    }

    @Override
    public Dialect dialect() {
        return Dialect.ELASTIC;
    }

    @Override
    public String authScheme() {
        return "ApiKey";
    }

    @Override
    public void handle(SimExchange exchange) throws IOException {
        boolean matches = STREAM_PATH.match(exchange.subPath()).isPresent();
        if (matches && exchange.method().equals("POST")) {
            flow.run(exchange, this);
            return;
        }
        ObjectNode error = context.json().createObjectNode();
        int status = matches ? 405 : 400;
        error.put("error", matches
                ? "Incorrect HTTP method for uri [" + exchange.subPath() + "] and method [" + exchange.method()
                        + "], allowed: [POST]"
                : "no handler found for uri [" + exchange.subPath() + "] and method [" + exchange.method() + "]");
        exchange.sendJson(status, error.put("status", status));
    }

    /** The body's {@code model}, else the inference ID from the path. */
    @Override
    public String scenarioKey(SimExchange exchange) {
        String model = ChatDialect.super.scenarioKey(exchange);
        return model != null ? model : STREAM_PATH.match(exchange.subPath()).orElse(null);
    }

    @Override
    public void addStandardHeaders(SimExchange exchange) {
        exchange.setHeader("X-elastic-product", "Elasticsearch");
        exchange.setHeader("X-Cloud-Request-Id", context.ids().requestId());
        String opaqueId = exchange.header("X-Opaque-Id");
        if (opaqueId != null) {
            exchange.setHeader("X-Opaque-Id", opaqueId);
        }
    }

    @Override
    public void sendError(SimExchange exchange, ErrorSpec error, Behaviour behaviour) throws IOException {
        boolean securityStatus = error.status() == 401 || error.status() == 403;
        switch (error.reason()) {
            case UNAUTHORIZED -> sendSecurityException(exchange, 401);
            case MALFORMED_BODY -> exchange.sendJson(400, exchange.rawBody().length == 0
                    ? ElasticWire.classic(400, "parse_exception", "request body is required")
                    : ElasticWire.classic(400, "x_content_parse_exception", "[1:1] failed to parse the request body"));
            case UNKNOWN_FIELD -> exchange.sendJson(400,
                    ElasticWire.classic(400, "x_content_parse_exception", error.message()));
            case INVALID_REQUEST -> exchange.sendJson(error.status(),
                    ElasticWire.classic(error.status(), classicType(error.message()), error.message()));
            default -> {
                if (securityStatus && behaviour.kind() != Behaviour.Kind.ERROR_BEFORE_STREAM) {
                    sendSecurityException(exchange, error.status());
                } else {
                    byte[] event = ElasticWire.event("error", exchange.json(ElasticWire.errorEvent(error)))
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.send(error.status(), SimExchange.EVENT_STREAM, event);
                }
            }
        }
    }

    private static String classicType(String message) {
        if (message.startsWith(VALIDATION_FAILED)) {
            return "action_request_validation_exception";
        }
        return message.startsWith(BAD_SETTING) ? "illegal_argument_exception" : "x_content_parse_exception";
    }

    private void sendSecurityException(SimExchange exchange, int status) throws IOException {
        String reason;
        if (status == 403) {
            reason = "action [cluster:monitor/xpack/inference/post] is unauthorized for API key";
        } else if (exchange.header("Authorization") == null) {
            reason = "missing authentication credentials for REST request [" + exchange.subPath() + "]";
        } else {
            reason = "unable to authenticate with provided credentials and anonymous access is not allowed for this "
                    + "request";
        }
        if (status == 401) {
            exchange.setHeader("WWW-Authenticate", "ApiKey");
        }
        exchange.sendJson(status, ElasticWire.classic(status, "security_exception", reason));
    }

    @Override
    public Optional<ErrorSpec> validate(SimExchange exchange, ChatRequest request) {
        return unknownField(exchange.rawBody())
                .or(() -> timeout(exchange))
                .or(() -> messages(request))
                .or(() -> stop(request.body()));
    }

    private Optional<ErrorSpec> unknownField(byte[] rawBody) {
        try (JsonParser parser = context.json().getFactory().createParser(rawBody)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (!KNOWN_FIELDS.contains(name)) {
                    JsonLocation at = parser.currentTokenLocation();
                    return Optional.of(new ErrorSpec(400, ErrorSpec.Reason.UNKNOWN_FIELD, "[" + at.getLineNr() + ":"
                            + at.getColumnNr() + "] [chat_completion_request] unknown field [" + name + "]", name));
                }
                parser.nextToken();
                parser.skipChildren();
            }
            return Optional.empty();
        } catch (IOException e) {
            // The body already parsed as a JSON object in the router; nothing more to report here.
            return Optional.empty();
        }
    }

    private static Optional<ErrorSpec> timeout(SimExchange exchange) {
        for (String pair : exchange.rawQuery().split("&")) {
            if (pair.startsWith("timeout=") && !TIME_VALUE.matcher(pair.substring("timeout=".length())).matches()) {
                return Optional.of(ErrorSpec.invalid(400, BAD_SETTING + " [timeout] with value ["
                        + pair.substring("timeout=".length()) + "] as a time value: unit is missing or unrecognized",
                        "timeout"));
            }
        }
        return Optional.empty();
    }

    private static Optional<ErrorSpec> messages(ChatRequest request) {
        JsonNode messages = request.messages();
        if (messages.isMissingNode()) {
            return Optional.of(ErrorSpec.invalid(400, "Required [messages]", "messages"));
        }
        if (!messages.isArray()) {
            return Optional.of(ErrorSpec.invalid(400, "[chat_completion_request] failed to parse field [messages]",
                    "messages"));
        }
        if (messages.isEmpty()) {
            return Optional.of(ErrorSpec.invalid(400, VALIDATION_FAILED + "1: Field [messages] cannot be an empty "
                    + "array;", "messages"));
        }
        return Validation.messages(request, 400).map(problem -> ErrorSpec.invalid(400,
                "[chat_completion_request] failed to parse field [messages]", problem.param()));
    }

    private static Optional<ErrorSpec> stop(JsonNode body) {
        JsonNode stop = body.get("stop");
        if (stop == null || stop.isNull() || (stop.isArray() && allText(stop))) {
            return Optional.empty();
        }
        return Optional.of(ErrorSpec.invalid(400, "[chat_completion_request] failed to parse field [stop]", "stop"));
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void sendAnswer(SimExchange exchange, ChatRequest request, Answer answer, Behaviour behaviour)
            throws IOException {
        List<ObjectNode> chunks = ElasticWire.chunks(answer);
        try (SimExchange.EventStream events = exchange.openStream(200, context.pacing(),
                behaviour.options().chunkDelay())) {
            switch (behaviour.kind()) {
                case MALFORMED_JSON -> {
                    if (events.write(message(exchange, chunks.getFirst()))) {
                        events.write(ElasticWire.event("message", "{\"id\":\"" + answer.id() + "\",\"choices\":[{"));
                        events.write(ElasticWire.DONE);
                    }
                }
                case MID_STREAM_ERROR -> {
                    for (ObjectNode chunk : chunks.subList(0, Math.max(1, chunks.size() / 2))) {
                        if (!events.write(message(exchange, chunk))) {
                            return;
                        }
                    }
                    events.write(ElasticWire.event("error", exchange.json(
                            ElasticWire.errorEvent(ErrorSpec.streamFailure()))));
                }
                default -> {
                    for (ObjectNode chunk : chunks) {
                        if (!events.write(message(exchange, chunk))) {
                            return;
                        }
                    }
                    events.write(ElasticWire.DONE);
                }
            }
        }
    }

    private static String message(SimExchange exchange, JsonNode chunk) {
        return ElasticWire.event("message", exchange.json(chunk));
    }
}
