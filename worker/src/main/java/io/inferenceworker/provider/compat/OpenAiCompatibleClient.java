package io.inferenceworker.provider.compat;

import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.DeltaSink;
import io.inferenceworker.provider.InvalidRequestException;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.transport.HttpCall;
import io.inferenceworker.provider.transport.HttpReply;
import io.inferenceworker.provider.transport.HttpStream;
import io.inferenceworker.provider.transport.PendingReplyResolver;
import io.inferenceworker.provider.transport.ProviderTransport;
import io.inferenceworker.provider.transport.SseEvent;
import io.inferenceworker.provider.transport.SseReader;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inferenceworker.provider.compat.OpenAiJson.ChatChunk;
import io.inferenceworker.provider.compat.OpenAiJson.ChatCompletion;
import io.inferenceworker.provider.compat.OpenAiJson.ChatRequest;
import io.inferenceworker.schemas.CompletionRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpHeaders;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The OpenAI-compatible chat call every such dialect shares: maps the request ({@link OpenAiRequestMapper}), POSTs
 * it to {@code {base-url}{chat-path}} (option {@value #CHAT_PATH_OPTION}, default {@value #DEFAULT_CHAT_PATH}) with
 * {@code Authorization: Bearer <api-key>} when a key is configured, and maps the answer or the error. Dialect
 * adapters compose it and add their own validation and {@link StatusPolicy}, and where their exchange departs from
 * OpenAI's (auth scheme, stream-only endpoint, body, headers, in-stream error codes) a {@linkplain #withWire wire
 * variant}.
 *
 * <p>Streams when the request asks for it and the call has a sink, with {@code stream_options.include_usage};
 * otherwise one JSON answer, which first passes the {@linkplain #withPendingReplies pending-reply resolver} (none by
 * default; NVIDIA polls its 202 answers there). Errors: a non-success status is classified by the status policy
 * (with the error body's type/code) and carries the provider's retry hint ({@link RetryHints}); a stream error
 * ({@code data: {"error": ..}} or {@code event: error}) is classified by the status its {@code code} stands for
 * (a numeric code, or as the {@linkplain ChatWire#errorCodeStatus wire} says), else is a retryable
 * {@code stream_error}; a stream that ends without {@code [DONE]} is a retryable {@code stream_error}; an error
 * status whose body is an event stream is read from its first event. A success status with a body that is not the
 * expected JSON is a retryable {@code malformed_response}: a truncated or garbled body is almost always a transient
 * fault of the server or a proxy, and another attempt usually succeeds. If a server ignores {@code stream: true} and
 * answers with JSON, that answer is used and replayed to the sink as one delta per choice.
 *
 * <p>Messages carry the provider's error message, stripped of control characters, cut to
 * {@value #MAX_MESSAGE_CHARS} characters, and with any occurrence of the API key replaced by {@code <redacted>};
 * they never carry a header value. Thread-safe.
 */
public final class OpenAiCompatibleClient {
    public static final String DEFAULT_CHAT_PATH = "/v1/chat/completions";
    public static final String CHAT_PATH_OPTION = "chat-path";
    static final int MAX_MESSAGE_CHARS = 500;
    private static final int MAX_ERROR_BODY_CHARS = 64 * 1024;

    private final ProviderSettings settings;
    private final String dialect;
    private final ProviderTransport transport;
    private final StatusPolicy statusPolicy;
    private final ObjectMapper json = OpenAiJson.newMapper();
    private final OpenAiRequestMapper requests = new OpenAiRequestMapper(json);
    private final RetryHints hints;
    private final URI endpoint;
    private final PendingReplyResolver pendingReplies;
    private final ChatWire wire;

    /**
     * @param settings     the instance's configuration (base URL, key, default model, connect timeout, options)
     * @param dialect      the dialect's type name, for messages (e.g. {@code nscale})
     * @param transport    the shared HTTP transport
     * @param statusPolicy how this dialect's statuses map to actions
     * @throws IllegalArgumentException when the base URL and chat path do not form a valid URI
     */
    public OpenAiCompatibleClient(ProviderSettings settings, String dialect, ProviderTransport transport,
                                  StatusPolicy statusPolicy) {
        this(settings, dialect, transport, statusPolicy, PendingReplyResolver.NONE, ChatWire.OPENAI);
    }

    private OpenAiCompatibleClient(ProviderSettings settings, String dialect, ProviderTransport transport,
                                   StatusPolicy statusPolicy, PendingReplyResolver pendingReplies, ChatWire wire) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.statusPolicy = Objects.requireNonNull(statusPolicy, "statusPolicy");
        this.hints = new RetryHints(transport.clock());
        this.endpoint = endpoint(settings);
        this.pendingReplies = Objects.requireNonNull(pendingReplies, "pendingReplies");
        this.wire = Objects.requireNonNull(wire, "wire");
    }

    /**
     * This client, passing every non-streamed chat answer through {@code resolver} before judging its status (NVIDIA's
     * 202 polling). Default {@link PendingReplyResolver#NONE}.
     */
    public OpenAiCompatibleClient withPendingReplies(PendingReplyResolver resolver) {
        return new OpenAiCompatibleClient(settings, dialect, transport, statusPolicy, resolver, wire);
    }

    /**
     * This client, speaking {@code wire}'s variant of the exchange (auth scheme, stream-only endpoint, body, extra
     * headers, stream error codes; Elasticsearch). Default {@link ChatWire#OPENAI}.
     */
    public OpenAiCompatibleClient withWire(ChatWire wire) {
        return new OpenAiCompatibleClient(settings, dialect, transport, statusPolicy, pendingReplies, wire);
    }

    private static URI endpoint(ProviderSettings settings) {
        return resolve(settings, settings.getOptions().getOrDefault(CHAT_PATH_OPTION, DEFAULT_CHAT_PATH));
    }

    private static URI resolve(ProviderSettings settings, String path) {
        String base = Objects.requireNonNull(settings.getBaseUrl(), "base-url").toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String p = path.trim();
        return URI.create(base + (p.startsWith("/") ? p : "/" + p));
    }

    /**
     * {@code {base-url}{path}}, for a dialect's other routes (e.g. Vultr's RAG and rating paths).
     *
     * @throws IllegalArgumentException when they do not form a valid URI
     */
    public URI uri(String path) {
        return resolve(settings, Objects.requireNonNull(path, "path"));
    }

    /** The instance name. */
    public String name() {
        return settings.getName();
    }

    /** The URI chat requests go to. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * Checks what every OpenAI-compatible dialect needs: a model (the request's or the instance's default), JSON
     * text fields that are JSON objects, and no {@code rag_collection} (this format has no place for it).
     *
     * @throws InvalidRequestException naming the parameter and this provider
     */
    public void validate(CompletionRequest request) {
        if (request.getRagCollection() != null) {
            throw unsupported("rag_collection", "rag_collection", null);
        }
        requests.map(request, settings.getDefaultModel(), name());
    }

    /**
     * An {@link InvalidRequestException} saying "{@code what} is not supported by provider NAME (DIALECT)[: hint]".
     */
    public InvalidRequestException unsupported(String parameter, String what, String hint) {
        return new InvalidRequestException(parameter, what + " is not supported by provider " + name() + " ("
                + dialect + ")" + (hint == null ? "" : ": " + hint));
    }

    /** Performs one attempt; see the class comment. */
    public ChatReply complete(ChatCall call) {
        return complete(call, endpoint, Map.of());
    }

    /**
     * Performs one attempt against {@code target} instead of the chat endpoint, with {@code extraFields} written
     * into the body beside the chat fields (e.g. Vultr's RAG {@code collection}); otherwise as {@link
     * #complete(ChatCall)}.
     */
    public ChatReply complete(ChatCall call, URI target, Map<String, String> extraFields) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(extraFields, "extraFields");
        ProviderException.Context context = call.context(name());
        ChatRequest body;
        try {
            body = requests.map(call.request(), settings.getDefaultModel(), name());
        } catch (InvalidRequestException e) {
            throw ProviderException.of(context, "invalid_request", e.getMessage()).withCause(e).terminal();
        }
        String model = body.model();
        boolean streaming = wire.alwaysStreams() || (call.request().getStream() && call.sink().isPresent());
        if (streaming && !wire.alwaysStreams()) {
            body = body.withStreaming();
        }
        body = wire.body(body);
        Map<String, String> headers = headers(streaming);
        headers.putAll(wire.headers(call));
        HttpCall http = new HttpCall(context, target, headers, write(context, body, extraFields),
                call.deadline(), settings.getConnectTimeout()).withTraceparent(call.traceparent());
        return streaming ? stream(call, http, model) : once(http, model);
    }

    private Map<String, String> headers(boolean streaming) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Accept", streaming ? "text/event-stream" : "application/json");
        String key = settings.getApiKey();
        if (key != null && !key.isBlank()) {
            headers.put("Authorization", wire.authorization(key.trim()));
        }
        return headers;
    }

    /**
     * POSTs {@code jsonBody} to {@code target} with this client's headers (JSON, the key in the wire's auth scheme)
     * and returns the answer when its status is a success of the status policy; any other status is thrown classified
     * like a chat call. For a dialect's side routes, e.g. Vultr's rating.
     *
     * @throws ProviderException when the call fails or the status is not a success
     */
    public HttpReply post(ProviderException.Context context, URI target, String jsonBody, Instant deadline) {
        HttpReply reply = transport.send(new HttpCall(context, target, headers(false),
                jsonBody.getBytes(StandardCharsets.UTF_8), deadline, settings.getConnectTimeout()));
        if (!statusPolicy.isSuccess(reply.status())) {
            throw httpError(context, reply.status(), reply.headers(), reply.body());
        }
        return reply;
    }

    private byte[] write(ProviderException.Context context, ChatRequest body, Map<String, String> extraFields) {
        try {
            if (!extraFields.isEmpty()) {
                ObjectNode tree = json.valueToTree(body);
                extraFields.forEach(tree::put);
                return json.writeValueAsBytes(tree);
            }
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw ProviderException.of(context, "invalid_request", "request could not be written as JSON").withCause(e)
                    .terminal();
        }
    }

    private ChatReply once(HttpCall http, String model) {
        HttpReply reply = pendingReplies.resolve(http, transport.send(http));
        String requestId = reply.requestId().orElse(null);
        if (!statusPolicy.isSuccess(reply.status())) {
            throw httpError(http.context(), reply.status(), reply.headers(), reply.body());
        }
        return parseReply(http.context(), reply.status(), reply.body(), requestId, model);
    }

    private ChatReply stream(ChatCall call, HttpCall http, String model) {
        ProviderException.Context context = http.context();
        // An endpoint that always streams also serves jobs that do not: their deltas go nowhere.
        DeltaSink sink = call.request().getStream() ? call.sink().orElse(delta -> { }) : delta -> { };
        try (HttpStream stream = transport.open(http)) {
            int status = stream.status();
            String requestId = stream.requestId().orElse(null);
            if (!statusPolicy.isSuccess(status)) {
                throw httpError(context, status, stream.headers(), stream.readPrefix(MAX_ERROR_BODY_CHARS));
            }
            if (isJson(stream.headers())) {
                ChatReply reply = parseReply(context, status, stream.readBody(), requestId, model);
                StreamAssembler.replay(reply, sink);
                return reply;
            }
            StreamAssembler assembler = new StreamAssembler(sink);
            SseReader events = new SseReader(stream::readLine, ProviderTransport.DEFAULT_MAX_BODY_CHARS);
            while (true) {
                Optional<SseEvent> next;
                try {
                    next = events.next();
                } catch (IllegalStateException e) {
                    throw ProviderException.of(context, "malformed_response", e.getMessage()).withHttpStatus(status)
                            .withProviderRequestId(requestId).retryable();
                }
                if (next.isEmpty()) {
                    throw ProviderException.of(context, "stream_error", "stream ended before [DONE]")
                            .withHttpStatus(status).withProviderRequestId(requestId).retryable();
                }
                SseEvent event = next.get();
                if (event.isDone()) {
                    return assembler.reply(requestId, model);
                }
                if (event.isError()) {
                    throw streamError(context, status, requestId, event.data());
                }
                if (!event.data().isBlank()) {
                    assembler.accept(chunk(context, status, requestId, event.data()));
                }
            }
        }
    }

    private ChatChunk chunk(ProviderException.Context context, int status, String requestId, String data) {
        JsonNode tree;
        try {
            tree = json.readTree(data);
            if (tree != null && tree.isObject() && tree.hasNonNull("error")) {
                throw streamError(context, status, requestId, data);
            }
            return json.treeToValue(tree, ChatChunk.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw malformed(context, status, requestId, "stream event is not a valid chunk", e);
        }
    }

    private ChatReply parseReply(ProviderException.Context context, int status, String body, String requestId,
                                 String model) {
        ChatCompletion completion;
        try {
            JsonNode tree = json.readTree(body);
            if (tree != null && tree.isObject() && tree.hasNonNull("error") && !tree.has("choices")) {
                throw streamError(context, status, requestId, body);
            }
            completion = json.treeToValue(tree, ChatCompletion.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw malformed(context, status, requestId, "answer is not valid JSON", e);
        }
        try {
            return OpenAiReplyMapper.toReply(completion, requestId, model);
        } catch (IllegalArgumentException e) {
            throw malformed(context, status, requestId, e.getMessage(), null);
        }
    }

    /** An error reported inside a success response: by its numeric code when it has one, else retryable. */
    private ProviderException streamError(ProviderException.Context context, int status, String requestId,
                                          String data) {
        Optional<ProviderError> error = ProviderError.parse(json, data);
        if (error.isEmpty()) {
            error = Optional.of(new ProviderError(data, null, null, null));
        }
        String message = "provider reported an error in the response" + describe(error);
        Integer code = wire.errorCodeStatus(error.get().code()).orElse(null);
        if (code != null && !statusPolicy.isSuccess(code)) {
            StatusPolicy.Rule rule = statusPolicy.classify(code, error);
            return rule.retryable()
                    ? ProviderException.of(context, rule.code(), message).withHttpStatus(status)
                            .withProviderRequestId(requestId).retryable()
                    : ProviderException.of(context, rule.code(), message).withHttpStatus(status)
                            .withProviderRequestId(requestId).terminal();
        }
        return ProviderException.of(context, "stream_error", message).withHttpStatus(status)
                .withProviderRequestId(requestId).retryable();
    }

    /** A non-success status, classified by the policy. */
    private ProviderException httpError(ProviderException.Context context, int status, HttpHeaders headers,
                                        String body) {
        Optional<ProviderError> error = ProviderError.parse(json, body);
        if (error.isEmpty() && isEventStream(headers)) {
            error = firstEventError(body);
        }
        StatusPolicy.Rule rule = statusPolicy.classify(status, error);
        String requestId = HttpReply.requestIdOf(headers).orElse(null);
        String message = "HTTP " + status + describe(error);
        if (rule.retryable()) {
            return ProviderException.of(context, rule.code(), message).withHttpStatus(status)
                    .withProviderRequestId(requestId).withRetryAfter(hints.retryAfter(headers).orElse(null))
                    .retryable();
        }
        return ProviderException.of(context, rule.code(), message).withHttpStatus(status)
                .withProviderRequestId(requestId).terminal();
    }

    private static ProviderException malformed(ProviderException.Context context, int status, String requestId,
                                               String what, Exception e) {
        // No cause for JSON errors: the parser's message quotes the body, which may hold completion text.
        String where = e instanceof JsonProcessingException j && j.getLocation() != null
                ? " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")" : "";
        return ProviderException.of(context, "malformed_response", what + where).withHttpStatus(status)
                .withProviderRequestId(requestId).retryable();
    }

    private String describe(Optional<ProviderError> error) {
        if (error.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        if (error.get().message() != null) {
            text.append(": ").append(sanitize(error.get().message()));
        }
        if (error.get().type() != null) {
            text.append(" (type ").append(sanitize(error.get().type())).append(')');
        }
        return text.toString();
    }

    /** Provider text made safe for messages: no API key, no control characters, bounded length. */
    String sanitize(String text) {
        String clean = text;
        String key = settings.getApiKey();
        if (key != null && !key.isBlank()) {
            clean = clean.replace(key.trim(), "<redacted>");
        }
        clean = clean.replaceAll("\\p{Cntrl}+", " ").strip();
        return clean.length() > MAX_MESSAGE_CHARS ? clean.substring(0, MAX_MESSAGE_CHARS) + "..." : clean;
    }

    /** The error in the first event of an error status's event-stream body (Elasticsearch's {@code event: error}). */
    private Optional<ProviderError> firstEventError(String body) {
        Iterator<String> lines = body.lines().iterator();
        try {
            return new SseReader(() -> lines.hasNext() ? lines.next() : null, MAX_ERROR_BODY_CHARS).next()
                    .flatMap(event -> ProviderError.parse(json, event.data()));
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    private static boolean isEventStream(HttpHeaders headers) {
        return headers.firstValue("content-type")
                .map(t -> t.trim().toLowerCase(Locale.ROOT).startsWith("text/event-stream"))
                .orElse(false);
    }

    private static boolean isJson(HttpHeaders headers) {
        return headers.firstValue("content-type")
                .map(t -> t.trim().toLowerCase(Locale.ROOT).startsWith("application/json"))
                .orElse(false);
    }
}
