package io.inferenceworker.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Generic OpenAI-compatible server (OpenAI, vLLM, Ollama, LiteLLM): every answer carries {@code x-request-id} and
 * the {@code x-ratelimit-*} headers; a rate-limited answer sets the remaining counts to 0 and the resets to the
 * retry delay in Go notation. Errors in OpenAI's shape, or vLLM's flat one when the behaviour asks.
 */
final class OpenAiDialect extends OpenAiStyleDialect {

    static final long REQUEST_LIMIT = 10_000;
    static final long TOKEN_LIMIT = 2_000_000;

    OpenAiDialect(SimContext context, ChatFlow flow) {
        super(context, flow, new OpenAiWire(true, false), List.of("gpt-4o-mini", "llama3.1:8b"));
    }

    @Override
    public Dialect dialect() {
        return Dialect.OPENAI;
    }

    @Override
    public void addStandardHeaders(SimExchange exchange) {
        super.addStandardHeaders(exchange);
        exchange.setHeader("x-ratelimit-limit-requests", Long.toString(REQUEST_LIMIT));
        exchange.setHeader("x-ratelimit-limit-tokens", Long.toString(TOKEN_LIMIT));
        exchange.setHeader("x-ratelimit-remaining-requests", Long.toString(REQUEST_LIMIT - 1));
        exchange.setHeader("x-ratelimit-remaining-tokens", Long.toString(TOKEN_LIMIT - 1_000));
        exchange.setHeader("x-ratelimit-reset-requests", "6ms");
        exchange.setHeader("x-ratelimit-reset-tokens", "30ms");
    }

    @Override
    public void sendError(SimExchange exchange, ErrorSpec error, Behaviour behaviour) throws IOException {
        if (error.reason() == ErrorSpec.Reason.RATE_LIMITED) {
            String reset = GoDuration.format(behaviour.retryAfter());
            exchange.setHeader("x-ratelimit-remaining-requests", "0");
            exchange.setHeader("x-ratelimit-remaining-tokens", "0");
            exchange.setHeader("x-ratelimit-reset-requests", reset);
            exchange.setHeader("x-ratelimit-reset-tokens", reset);
        }
        super.sendError(exchange, error, behaviour);
    }

    @Override
    JsonNode errorBody(ErrorSpec error, Behaviour behaviour) {
        return behaviour.options().errorShape() == VllmErrorShape.FLAT
                ? OpenAiErrors.vllm(error, VllmErrorShape.FLAT) : OpenAiErrors.openAi(error);
    }

    @Override
    public Optional<ErrorSpec> validate(SimExchange exchange, ChatRequest request) {
        JsonNode body = request.body();
        return super.validate(exchange, request)
                .or(() -> Validation.range(body, "temperature", 0, 2, 400))
                .or(() -> Validation.range(body, "top_p", 0, 1, 400))
                .or(() -> Validation.range(body, "n", 1, 128, 400));
    }
}
