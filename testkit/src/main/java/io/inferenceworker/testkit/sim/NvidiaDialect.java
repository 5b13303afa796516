package io.inferenceworker.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NVIDIA API catalog (NVCF): chat with {@code chat_template_kwargs} and {@code reasoning_content}, validation as
 * 422 problem details, the 202 + {@code NVCF-REQID} answer polled at {@code GET /v2/nvcf/pexec/status/{reqId}},
 * a bare {@code {"status":429,"title":"Too Many Requests"}}, stream errors as {@code data: {"error":{…}}}. Every
 * answer carries {@code NVCF-REQID}; a body without {@code model} gets the documented default model. Strict where
 * the reference is explicit: unlisted body parameters or message members, a message without {@code content}, an
 * inline image over 180 KB, or an asset reference missing from {@code NVCF-INPUT-ASSET-REFERENCES} is a 422.
 */
final class NvidiaDialect extends OpenAiStyleDialect {

    static final String DEFAULT_MODEL = "moonshotai/kimi-k2.6";
    private static final String STATUS_PREFIX = "/v2/nvcf/pexec/status/";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final List<String> MEDIA_PARTS = List.of("text", "image_url", "video_url");
    /** The body parameters the reference lists; any other is refused. */
    static final Set<String> KNOWN_FIELDS = Set.of("messages", "model", "chat_template_kwargs", "tools",
            "tool_choice", "max_tokens", "seed", "stream", "stream_options", "temperature", "top_p");
    /** The message members the reference lists. */
    static final Set<String> MESSAGE_FIELDS = Set.of("role", "content", "name", "tool_call_id", "tool_calls",
            "reasoning_content");
    static final String ASSET_HEADER = "NVCF-INPUT-ASSET-REFERENCES";
    /** The reference's bound on {@value #ASSET_HEADER}. */
    static final int MAX_ASSET_HEADER_CHARS = 370;
    /** "More than 180KB" must go through assets; NVIDIA's samples check {@code len(image_b64) < 180_000}. */
    static final int MAX_INLINE_BASE64_CHARS = 180_000;
    private static final Pattern INLINE_IMAGE = Pattern.compile("data:image/[^;,\"'\\s]*;base64,([^\"'\\s>]*)");
    private static final Pattern ASSET_REFERENCE = Pattern.compile("data:image/[^;,\"'\\s]*;asset_id,([^\"'\\s>]*)");

    private final NvcfPending pending;

    NvidiaDialect(SimContext context, ChatFlow flow, NvcfPending pending) {
        super(context, flow, new OpenAiWire(true, false), List.of(DEFAULT_MODEL, "meta/llama-3.1-8b-instruct"));
        this.pending = pending;
    }

    @Override
    public Dialect dialect() {
        return Dialect.NVIDIA;
    }

    @Override
    public String scenarioKey(SimExchange exchange) {
        String model = super.scenarioKey(exchange);
        boolean chat = exchange.body() != null && exchange.body().isObject();
        return model == null && chat ? DEFAULT_MODEL : model;
    }

    @Override
    public void addStandardHeaders(SimExchange exchange) {
        exchange.setHeader("NVCF-REQID", context().ids().uuid());
    }

    @Override
    boolean modelRequired() {
        return false;
    }

    @Override
    boolean handleExtraRoute(SimExchange exchange) throws IOException {
        String path = exchange.subPath();
        if (!path.startsWith(STATUS_PREFIX) || !exchange.method().equals("GET")) {
            return false;
        }
        if (!context().credentials().accepts(Dialect.NVIDIA, authScheme(), exchange.header("Authorization"))) {
            sendError(exchange, ErrorSpec.unauthorized(), Behaviour.ok());
            return true;
        }
        String requestId = path.substring(STATUS_PREFIX.length());
        Optional<NvcfPending.Poll> poll = pending.poll(requestId);
        if (poll.isPresent() && !context().pacing().pause(poll.get().latency())) {
            return true; // the simulator is stopping
        }
        exchange.setHeader("NVCF-REQID", requestId);
        if (poll.isEmpty()) {
            sendError(exchange, ErrorSpec.notFound("No pending request with id " + requestId + "."), Behaviour.ok());
        } else if (!poll.get().done()) {
            exchange.setHeader("NVCF-STATUS", "pending-evaluation");
            exchange.sendEmpty(202);
        } else {
            exchange.setHeader("NVCF-STATUS", "fulfilled");
            exchange.send(200, SimExchange.JSON, poll.get().result());
        }
        return true;
    }

    @Override
    void sendCompletion(SimExchange exchange, ChatRequest request, Answer answer, Behaviour behaviour)
            throws IOException {
        if (behaviour.kind() != Behaviour.Kind.ACCEPTED_202) {
            super.sendCompletion(exchange, request, answer, behaviour);
            return;
        }
        String requestId = context().ids().uuid();
        pending.put(requestId, behaviour.code(), context().json().writeValueAsBytes(wire().completion(answer, request)),
                behaviour.options().latency());
        exchange.setHeader("NVCF-REQID", requestId);
        exchange.setHeader("NVCF-STATUS", "pending-evaluation");
        exchange.sendEmpty(202);
    }

    /** Problem details; a 429 other than insufficient credit is the bare {@code {"status","title"}} pair. */
    @Override
    public void sendError(SimExchange exchange, ErrorSpec error, Behaviour behaviour) throws IOException {
        exchange.send(error.status(), PROBLEM_JSON, context().json().writeValueAsBytes(
                problem(error, exchange.responseHeader("NVCF-REQID"))));
    }

    @Override
    JsonNode errorBody(ErrorSpec error, Behaviour behaviour) {
        return problem(error, null);
    }

    private ObjectNode problem(ErrorSpec error, String requestId) {
        ObjectNode problem = context().json().createObjectNode();
        if (error.status() == 429 && error.reason() != ErrorSpec.Reason.INSUFFICIENT_CREDIT) {
            return problem.put("status", 429).put("title", "Too Many Requests");
        }
        problem.put("type", "urn:kaizen:problem-details:" + ErrorSpec.snakeReason(error.status()).replace('_', '-'))
                .put("title", ErrorSpec.reasonPhrase(error.status()))
                .put("status", error.status())
                .put("detail", error.message());
        if (requestId != null) {
            problem.put("requestId", requestId);
        }
        return problem;
    }

    @Override
    JsonNode streamErrorBody(ErrorSpec error, Behaviour behaviour) {
        return OpenAiErrors.vllm(error, VllmErrorShape.NESTED);
    }

    /**
     * 422 for schema violations: only the body parameters and message members the reference lists, {@code content}
     * on every message (it is "required"), ranges from the reference, media parts only in user messages, inline
     * images under 180 KB, and every referenced asset listed in {@value #ASSET_HEADER}.
     */
    @Override
    public Optional<ErrorSpec> validate(SimExchange exchange, ChatRequest request) {
        JsonNode body = request.body();
        return Validation.openAiCommon(request, 422, false)
                .or(() -> Validation.onlyFields(body, KNOWN_FIELDS, 422))
                .or(() -> messageMembers(request))
                .or(() -> images(exchange, request))
                .or(() -> Validation.range(body, "temperature", 0, 1, 422))
                .or(() -> Validation.range(body, "top_p", 0, 1, 422))
                .or(() -> Validation.range(body, "max_tokens", 1, 65536, 422))
                .or(() -> Validation.range(body, "seed", -9007199254740991d, 9007199254740991d, 422))
                .or(() -> contentParts(request));
    }

    private static Optional<ErrorSpec> messageMembers(ChatRequest request) {
        JsonNode messages = request.messages();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            JsonNode content = message.path("content");
            if (!content.isTextual() && !content.isArray()) {
                return Optional.of(ErrorSpec.invalid(422, "messages[" + i + "].content is required (a string or a "
                        + "list of objects).", "messages[" + i + "].content"));
            }
            Iterator<String> names = message.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!MESSAGE_FIELDS.contains(name)) {
                    return Optional.of(ErrorSpec.invalid(422, "messages[" + i + "]: extra inputs are not permitted: '"
                            + name + "'.", "messages[" + i + "]." + name));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<ErrorSpec> images(SimExchange exchange, ChatRequest request) {
        String header = exchange.header(ASSET_HEADER);
        Set<String> assets = new HashSet<>();
        if (header != null) {
            if (header.length() > MAX_ASSET_HEADER_CHARS) {
                return Optional.of(ErrorSpec.invalid(422, ASSET_HEADER + " must be at most " + MAX_ASSET_HEADER_CHARS
                        + " characters, got " + header.length() + ".", ASSET_HEADER));
            }
            for (String id : header.split(",")) {
                assets.add(id.trim().toLowerCase(Locale.ROOT));
            }
        }
        StringBuilder texts = new StringBuilder();
        for (JsonNode message : request.messages()) {
            JsonNode content = message.path("content");
            texts.append(content.asText("")).append('\n');
            for (JsonNode part : content.isArray() ? content : List.<JsonNode>of()) {
                texts.append(part.path("text").asText("")).append('\n')
                        .append(part.path("image_url").path("url").asText("")).append('\n');
            }
        }
        String text = texts.toString();
        Matcher inline = INLINE_IMAGE.matcher(text);
        while (inline.find()) {
            if (inline.group(1).length() >= MAX_INLINE_BASE64_CHARS) {
                return Optional.of(ErrorSpec.invalid(422, "Inline image of " + inline.group(1).length() + " base64 "
                        + "characters: images over 180KB must be uploaded with the NVCF Asset API.", "messages"));
            }
        }
        Matcher reference = ASSET_REFERENCE.matcher(text);
        while (reference.find()) {
            if (!assets.contains(reference.group(1).toLowerCase(Locale.ROOT))) {
                return Optional.of(ErrorSpec.invalid(422, "Asset " + reference.group(1) + " is not listed in "
                        + ASSET_HEADER + ".", ASSET_HEADER));
            }
        }
        return Optional.empty();
    }

    private static Optional<ErrorSpec> contentParts(ChatRequest request) {
        JsonNode messages = request.messages();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode content = messages.get(i).path("content");
            if (!content.isArray()) {
                continue;
            }
            String role = messages.get(i).path("role").asText();
            if (!role.equals("user") && !role.equals("tool")) {
                return Optional.of(ErrorSpec.invalid(422, "messages[" + i + "]: the object list format of content is "
                        + "not supported for role " + role + ".", "messages[" + i + "].content"));
            }
            for (JsonNode part : content) {
                String type = part.path("type").asText("").toLowerCase(Locale.ROOT);
                if (!MEDIA_PARTS.contains(type)) {
                    return Optional.of(ErrorSpec.invalid(422, "messages[" + i + "]: unsupported content part type '"
                            + type + "'.", "messages[" + i + "].content"));
                }
            }
        }
        return Optional.empty();
    }
}
