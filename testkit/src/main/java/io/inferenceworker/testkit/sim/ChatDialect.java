package io.inferenceworker.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Optional;

/** One provider dialect: its routes, and the dialect-specific steps of {@link ChatFlow}. Implementations are thread-safe. */
interface ChatDialect {

    Dialect dialect();

    /** Answers one request whose path starts with this dialect's prefix. */
    void handle(SimExchange exchange) throws IOException;

    /** The scenario key of a request: by default the body's {@code model}. */
    default String scenarioKey(SimExchange exchange) {
        JsonNode body = exchange.body();
        JsonNode model = body == null ? null : body.get("model");
        return model != null && model.isTextual() ? model.asText() : null;
    }

    /** Sets the headers every answer of this dialect carries, such as its request ID. */
    void addStandardHeaders(SimExchange exchange);

    /** The {@code Authorization} scheme: {@code Bearer} or {@code ApiKey}. */
    String authScheme();

    /** Answers with {@code error} before any response byte was sent. */
    void sendError(SimExchange exchange, ErrorSpec error, Behaviour behaviour) throws IOException;

    /** The dialect's validation of a chat request whose body is a JSON object. */
    Optional<ErrorSpec> validate(SimExchange exchange, ChatRequest request);

    /** Sends a planned answer: a reply or a stream, honouring the behaviour's kind. */
    void sendAnswer(SimExchange exchange, ChatRequest request, Answer answer, Behaviour behaviour) throws IOException;
}
