package io.inferenceworker.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Vultr Serverless Inference: chat ({@code /v1/chat/completions}), RAG ({@code /v1/chat/completions/RAG}, also
 * lowercase {@code /rag}; requires {@code collection}), rating (configurable path, default
 * {@code POST /v1/chat/completions/{id}/rate} with {@code {"vote":"up"|"down"}}), {@code GET /v1/models},
 * {@code GET /v1/health}. Replies have no {@code object}; errors use OpenAI's shape (Vultr's is undocumented).
 * Strict to its documents: a body member outside the 1.2.0 reference's parameters (plus the guide's tools and RAG's
 * {@code collection}) is a 400, unless the simulator accepts the {@linkplain #EXTENDED_FIELDS extended} ones; tool
 * calls carry no {@code id} and streamed fragments no {@code index}, as in Vultr's sample. RAG accepts tools (the
 * current RAG guide documents them).
 */
final class VultrDialect extends OpenAiStyleDialect {

    private static final List<String> MODELS = List.of("kimi-k2-instruct", "llama-3.3-70b-instruct-fp8",
            "mistral-nemo-instruct-2407");

    /** The 1.2.0 reference's chat parameters, plus the chat guide's {@code tools} and {@code tool_choice}. */
    static final Set<String> DOCUMENTED_FIELDS = Set.of("model", "messages", "max_tokens", "seed", "temperature",
            "top_k", "top_p", "stream", "tools", "tool_choice");
    /** What a later API revision is said to add (provider notes, unconfirmed), and OpenAI fields 1.2.0 lacks. */
    static final Set<String> EXTENDED_FIELDS = Set.of("n", "logprobs", "top_logprobs", "frequency_penalty",
            "presence_penalty", "stop", "stream_options");

    private final VultrLedger ledger;
    private final Set<String> chatFields;
    private final Set<String> ragFields;
    private final PathTemplate ratingPath;

    VultrDialect(SimContext context, ChatFlow flow, VultrLedger ledger) {
        // Vultr's tool-call sample has no id; its streamed fragments may carry no index.
        super(context, flow, new OpenAiWire(false, false, false, false), MODELS);
        this.ledger = ledger;
        Set<String> chat = new HashSet<>(DOCUMENTED_FIELDS);
        if (context.config().vultrExtendedParameters()) {
            chat.addAll(EXTENDED_FIELDS);
        }
        this.chatFields = Set.copyOf(chat);
        chat.add("collection");
        this.ragFields = Set.copyOf(chat);
        this.ratingPath = PathTemplate.parse(context.config().vultrRatingPath());
    }

    @Override
    public Dialect dialect() {
        return Dialect.VULTR;
    }

    @Override
    boolean handleExtraRoute(SimExchange exchange) throws IOException {
        String path = exchange.subPath();
        boolean post = exchange.method().equals("POST");
        if (post && isRag(path)) {
            flow().run(exchange, this);
            return true;
        }
        Optional<String> rated = ratingPath.match(path);
        if (post && rated.isPresent()) {
            rate(exchange, rated.get());
            return true;
        }
        if (path.equals("/v1/health") && exchange.method().equals("GET")) {
            exchange.sendJson(200, context().json().createObjectNode().put("status", "ok"));
            return true;
        }
        return false;
    }

    private static boolean isRag(String path) {
        return path.equals(CHAT_PATH + "/RAG") || path.equals(CHAT_PATH + "/rag");
    }

    @Override
    JsonNode errorBody(ErrorSpec error, Behaviour behaviour) {
        return OpenAiErrors.openAi(error);
    }

    @Override
    public Optional<ErrorSpec> validate(SimExchange exchange, ChatRequest request) {
        JsonNode body = request.body();
        boolean rag = isRag(exchange.subPath());
        Optional<ErrorSpec> problem = super.validate(exchange, request)
                .or(() -> Validation.onlyFields(body, rag ? ragFields : chatFields, 400))
                .or(() -> Validation.range(body, "temperature", 0, 2, 400))
                .or(() -> Validation.range(body, "top_p", 0, 1, 400))
                .or(() -> Validation.range(body, "top_k", 0, 100, 400))
                .or(() -> Validation.range(body, "max_tokens", 1, Integer.MAX_VALUE, 400));
        if (problem.isEmpty() && rag) {
            JsonNode collection = body.path("collection");
            if (!collection.isTextual() || collection.asText().isBlank()) {
                return Optional.of(ErrorSpec.invalid(400, "Field 'collection' is required for RAG chat completion.",
                        "collection"));
            }
        }
        return problem;
    }

    @Override
    public void sendAnswer(SimExchange exchange, ChatRequest request, Answer answer, Behaviour behaviour)
            throws IOException {
        ledger.issued(answer.id());
        super.sendAnswer(exchange, request, answer, behaviour);
    }

    private void rate(SimExchange exchange, String completionId) throws IOException {
        if (!context().credentials().accepts(Dialect.VULTR, authScheme(), exchange.header("Authorization"))) {
            sendError(exchange, ErrorSpec.unauthorized(), Behaviour.ok());
            return;
        }
        String vote = exchange.body() == null ? null : exchange.body().path("vote").asText(null);
        if (!"up".equals(vote) && !"down".equals(vote)) {
            sendError(exchange, ErrorSpec.invalid(400, "Field 'vote' must be \"up\" or \"down\".", "vote"),
                    Behaviour.ok());
        } else if (!ledger.vote(completionId, vote)) {
            sendError(exchange, ErrorSpec.notFound("Chat completion " + completionId + " not found."), Behaviour.ok());
        } else {
            exchange.sendJson(200, context().json().createObjectNode());
        }
    }
}
