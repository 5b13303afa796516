package io.inferenceworker.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import io.inferenceworker.testkit.EmbeddedSchemaRegistry.Route;
import io.inferenceworker.testkit.SchemaRegistryState.SubjectVersion;

/**
 * Serves the Confluent Schema Registry REST API subset over {@link SchemaRegistryState}: counts every request
 * per route, then applies the programmed outage and delay, the authentication requirement, and the route.
 *
 * <p>Thread-safe: the counters and switches are atomic, the state synchronises itself.
 */
final class SchemaRegistryHandler implements HttpHandler {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final SchemaRegistryState state;
    private final String expectedAuthorization;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Route, LongAdder> counts = new EnumMap<>(Route.class);
    private final AtomicBoolean available = new AtomicBoolean(true);
    private final AtomicReference<Duration> responseDelay = new AtomicReference<>(Duration.ZERO);

    /**
     * @param expectedAuthorization the exact {@code Authorization} header every request must carry, or
     *                              {@code null} when the registry is open
     */
    SchemaRegistryHandler(SchemaRegistryState state, String expectedAuthorization) {
        this.state = Objects.requireNonNull(state, "state");
        this.expectedAuthorization = expectedAuthorization;
        for (Route route : Route.values()) {
            counts.put(route, new LongAdder());
        }
    }

    void setAvailable(boolean isAvailable) {
        available.set(isAvailable);
    }

    void setResponseDelay(Duration delay) {
        responseDelay.set(Objects.requireNonNull(delay, "delay"));
    }

    long count(Route route) {
        return counts.get(route).sum();
    }

    long totalCount() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            SchemaRegistryRequest request = SchemaRegistryRequest.classify(exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery());
            counts.get(request.route()).increment();
            byte[] body = readBody(exchange.getRequestBody());
            delayIfProgrammed();
            try {
                if (!available.get()) {
                    throw SchemaRegistryError.unavailable();
                }
                if (!isAuthorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"SchemaRegistry\"");
                    throw SchemaRegistryError.unauthorized();
                }
                respond(exchange, 200, serve(request, body, exchange.getRequestURI().getRawPath()));
            } catch (SchemaRegistryError error) {
                ObjectNode answer = json.createObjectNode()
                        .put("error_code", error.errorCode())
                        .put("message", error.getMessage());
                respond(exchange, error.httpStatus(), answer);
            }
        }
    }

    private JsonNode serve(SchemaRegistryRequest request, byte[] body, String path) {
        String subject = request.subject();
        return switch (request.route()) {
            case REGISTER -> json.createObjectNode().put("id", state.register(subject, schemaOf(body)));
            case LOOKUP -> versionNode(state.lookup(subject, schemaOf(body)));
            case SCHEMA_BY_ID -> json.createObjectNode().put("schema", state.schemaById(idOf(request)));
            case SCHEMA_ID_VERSIONS -> usagesNode(request);
            case SUBJECTS -> json.valueToTree(state.subjects());
            case VERSIONS -> json.valueToTree(state.versionNumbers(subject));
            case VERSION -> versionNode(state.version(subject, request.version()));
            case VERSION_SCHEMA -> parseJson(state.version(subject, request.version()).schema().getBytes(
                    StandardCharsets.UTF_8));
            case COMPATIBILITY -> json.createObjectNode()
                    .put("is_compatible", state.isCompatible(subject, request.version(), schemaOf(body)));
            case GET_CONFIG -> json.createObjectNode().put("compatibilityLevel", levelOf(request).name());
            case PUT_CONFIG -> putConfig(subject, body);
            case DELETE_SUBJECT -> json.valueToTree(state.deleteSubject(subject));
            case OTHER -> throw SchemaRegistryError.notFound(path);
        };
    }

    private SchemaCompatibilityLevel levelOf(SchemaRegistryRequest request) {
        if (request.subject() == null) {
            return state.globalLevel();
        }
        boolean defaultToGlobal = "true".equalsIgnoreCase(request.query().get("defaultToGlobal"));
        return state.subjectLevel(request.subject())
                .or(() -> defaultToGlobal ? Optional.of(state.globalLevel()) : Optional.empty())
                .orElseThrow(() -> SchemaRegistryError.subjectLevelNotConfigured(request.subject()));
    }

    private JsonNode putConfig(String subject, byte[] body) {
        String name = parseJson(body).path("compatibility").asText(null);
        SchemaCompatibilityLevel level = SchemaCompatibilityLevel.parse(name)
                .orElseThrow(() -> SchemaRegistryError.invalidCompatibilityLevel(name));
        if (subject == null) {
            state.setGlobalLevel(level);
        } else {
            state.setSubjectLevel(subject, level);
        }
        return json.createObjectNode().put("compatibility", level.name());
    }

    private ArrayNode usagesNode(SchemaRegistryRequest request) {
        ArrayNode usages = json.createArrayNode();
        for (SubjectVersion usage : state.usagesOf(idOf(request))) {
            usages.addObject().put("subject", usage.subject()).put("version", usage.version());
        }
        return usages;
    }

    private ObjectNode versionNode(SubjectVersion version) {
        return json.createObjectNode()
                .put("subject", version.subject())
                .put("version", version.version())
                .put("id", version.id())
                .put("schema", version.schema());
    }

    /** The {@code schema} of a register/lookup/compatibility body; only AVRO without references is served. */
    private String schemaOf(byte[] body) {
        JsonNode request = parseJson(body);
        String schemaType = request.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(schemaType)) {
            throw SchemaRegistryError.invalidSchema("schemaType " + schemaType
                    + " is not supported by this test double");
        }
        if (request.path("references").size() > 0) {
            throw SchemaRegistryError.invalidSchema("schema references are not supported by this test double");
        }
        JsonNode schema = request.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw SchemaRegistryError.invalidSchema("the request has no \"schema\" string");
        }
        return schema.asText();
    }

    private static int idOf(SchemaRegistryRequest request) {
        try {
            return Integer.parseInt(request.id());
        } catch (NumberFormatException notANumber) {
            throw SchemaRegistryError.notFound("/schemas/ids/" + request.id());
        }
    }

    private JsonNode parseJson(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw SchemaRegistryError.badRequest("empty request body");
            }
            return node;
        } catch (JacksonException malformed) {
            throw SchemaRegistryError.badRequest("malformed JSON request body");
        } catch (IOException unreadable) {
            throw SchemaRegistryError.badRequest("unreadable request body");
        }
    }

    private boolean isAuthorized(String authorization) {
        if (expectedAuthorization == null) {
            return true;
        }
        if (authorization == null) {
            return false;
        }
        return MessageDigest.isEqual(expectedAuthorization.getBytes(StandardCharsets.UTF_8),
                authorization.getBytes(StandardCharsets.UTF_8));
    }

    private void delayIfProgrammed() throws IOException {
        Duration delay = responseDelay.get();
        if (delay.isZero()) {
            return;
        }
        try {
            // Simulated registry latency (the request has already been counted), not test synchronisation.
            Thread.sleep(delay);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException("registry double closed while delaying a response", interrupted);
        }
    }

    private void respond(HttpExchange exchange, int status, JsonNode answer) throws IOException {
        byte[] bytes = json.writeValueAsBytes(answer);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}
