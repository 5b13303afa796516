package io.inferenceworker.testkit.sim;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The pipeline every chat-completion request goes through, whatever its dialect: take the model's next behaviour,
 * wait its latency, check the API key and the body, then fault or answer. Thread-safe.
 */
final class ChatFlow {

    private final SimContext context;
    private final AnswerPlanner planner;

    ChatFlow(SimContext context) {
        this.context = context;
        this.planner = new AnswerPlanner(context);
    }

    void run(SimExchange exchange, ChatDialect dialect) throws IOException {
        Behaviour behaviour = context.scenarios().next(exchange.model());
        exchange.overrideHeaders(behaviour.options().headers());
        if (!context.pacing().pause(behaviour.options().latency())) {
            exchange.abort();
            return;
        }
        if (!context.credentials().accepts(dialect.dialect(), dialect.authScheme(), exchange.header("Authorization"))) {
            dialect.sendError(exchange, ErrorSpec.unauthorized(), behaviour);
            return;
        }
        if (exchange.body() == null || !exchange.body().isObject()) {
            dialect.sendError(exchange, ErrorSpec.malformedBody(), behaviour);
            return;
        }
        switch (behaviour.kind()) {
            case HANG -> {
                context.pacing().hang();
                exchange.abort();
            }
            case CONNECTION_RESET -> exchange.abort();
            case STATUS, ERROR_BEFORE_STREAM -> dialect.sendError(exchange, ErrorSpec.forced(behaviour.code()), behaviour);
            case RATE_LIMITED -> {
                setRetryHints(exchange, behaviour);
                dialect.sendError(exchange, ErrorSpec.rateLimited(), behaviour);
            }
            case INSUFFICIENT_CREDIT -> dialect.sendError(exchange, ErrorSpec.insufficientCredit(), behaviour);
            case OK, MALFORMED_JSON, MID_STREAM_ERROR, ACCEPTED_202 -> answer(exchange, dialect, behaviour);
        }
    }

    private void answer(SimExchange exchange, ChatDialect dialect, Behaviour behaviour) throws IOException {
        ChatRequest request = new ChatRequest(exchange.body());
        Optional<ErrorSpec> invalid = dialect.validate(exchange, request);
        if (invalid.isPresent()) {
            dialect.sendError(exchange, invalid.get(), behaviour);
            return;
        }
        String model = exchange.model() != null ? exchange.model() : "unknown";
        dialect.sendAnswer(exchange, request, planner.plan(request, behaviour, model), behaviour);
    }

    /** {@code retry-after} in whole seconds (rounded up) and {@code retry-after-ms}; explicit headers still win. */
    private static void setRetryHints(SimExchange exchange, Behaviour behaviour) {
        Duration retryAfter = behaviour.retryAfter();
        exchange.setHeader("retry-after", Long.toString(GoDuration.ceilSeconds(retryAfter)));
        exchange.setHeader("retry-after-ms", Long.toString(retryAfter.toMillis()));
    }
}
