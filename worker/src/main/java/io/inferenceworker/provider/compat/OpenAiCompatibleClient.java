package io.inferenceworker.provider.compat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.DeltaSink;
import io.inferenceworker.provider.InvalidRequestException;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.transport.HttpReply;
import io.inferenceworker.provider.transport.PendingReplyResolver;
import io.inferenceworker.provider.transport.ProviderTransport;
import io.inferenceworker.schemas.CompletionRequest;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The OpenAI-compatible chat call every such dialect shares: {@code POST {base-url}{chat-path}} (option
 * {@value #CHAT_PATH_OPTION}, default {@value #DEFAULT_CHAT_PATH}) with {@code Authorization: Bearer <api-key>} when
 * a key is configured. A dialect composes one client, given its {@link StatusPolicy status table}, and adds its own
 * validation; where its exchange departs from OpenAI's (auth scheme, stream-only endpoint, body, headers) a
 * {@linkplain #withWire wire variant}, and where answers may come later a {@linkplain #withPendingReplies resolver}.
 *
 * <p>Made of three parts: {@link RequestEncoder} (endpoint, headers, body), {@link ReplyDecoder} (the JSON answer or
 * the event stream) and {@link ErrorClassifier} (every failure, by the status table). Streams when the request asks
 * for it and the call has a sink, with {@code stream_options.include_usage}; otherwise one JSON answer. Side routes
 * of a dialect (a rating, a status poll) use {@link #post} and {@link #check} with a table of their own.
 *
 * <p>Error messages carry the provider's message, sanitised (no API key, no control characters, bounded); never a
 * header value. Immutable and thread-safe.
 */
public final class OpenAiCompatibleClient {
    public static final String DEFAULT_CHAT_PATH = "/v1/chat/completions";
    public static final String CHAT_PATH_OPTION = "chat-path";

    private final ProviderSettings settings;
    private final String dialect;
    private final ProviderTransport transport;
    private final StatusPolicy statuses;
    private final PendingReplyResolver pendingReplies;
    private final ChatWire wire;
    private final RequestEncoder requests;
    private final ErrorClassifier errors;
    private final ReplyDecoder replies;
    private final URI endpoint;

    /**
     * A client speaking plain OpenAI ({@link ChatWire#OPENAI}) without a pending-reply resolver.
     *
     * @param settings the instance's configuration (base URL, key, default model, connect timeout, options)
     * @param dialect  the dialect's type name, for messages (e.g. {@code nscale})
     * @param transport the shared HTTP transport
     * @param statuses the dialect's status table
     * @throws IllegalArgumentException when the base URL and chat path do not form a valid URI
     */
    public OpenAiCompatibleClient(ProviderSettings settings, String dialect, ProviderTransport transport,
                                  StatusPolicy statuses) {
        this(settings, dialect, transport, statuses, PendingReplyResolver.NONE, ChatWire.OPENAI);
    }

    private OpenAiCompatibleClient(ProviderSettings settings, String dialect, ProviderTransport transport,
                                   StatusPolicy statuses, PendingReplyResolver pendingReplies, ChatWire wire) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.statuses = Objects.requireNonNull(statuses, "statuses");
        this.pendingReplies = Objects.requireNonNull(pendingReplies, "pendingReplies");
        this.wire = Objects.requireNonNull(wire, "wire");
        ObjectMapper json = OpenAiJson.newMapper();
        this.requests = new RequestEncoder(settings, wire, json);
        this.errors = new ErrorClassifier(settings.getApiKey(), json, transport.clock());
        this.replies = new ReplyDecoder(transport, pendingReplies, statuses, errors, json);
        this.endpoint = requests.uri(settings.getOptions().getOrDefault(CHAT_PATH_OPTION, DEFAULT_CHAT_PATH));
    }

    /**
     * This client, passing every non-streamed chat answer through {@code resolver} before judging its status (NVIDIA's
     * 202 polling). Default {@link PendingReplyResolver#NONE}.
     */
    public OpenAiCompatibleClient withPendingReplies(PendingReplyResolver resolver) {
        return new OpenAiCompatibleClient(settings, dialect, transport, statuses, resolver, wire);
    }

    /**
     * This client, speaking {@code wire}'s variant of the exchange (auth scheme, stream-only endpoint, body, extra
     * headers; Elasticsearch). Default {@link ChatWire#OPENAI}.
     */
    public OpenAiCompatibleClient withWire(ChatWire wire) {
        return new OpenAiCompatibleClient(settings, dialect, transport, statuses, pendingReplies, wire);
    }

    /**
     * {@code {base-url}{path}}, for a dialect's other routes (e.g. Vultr's RAG and rating paths).
     *
     * @throws IllegalArgumentException when they do not form a valid URI
     */
    public URI uri(String path) {
        return requests.uri(Objects.requireNonNull(path, "path"));
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
     * text fields that are JSON objects, no {@code rag_collection} (this format has no place for it), and no
     * {@code asset_ids} unless the wire {@linkplain ChatWire#carriesAssetIds() carries them}.
     *
     * @throws InvalidRequestException naming the parameter and this provider
     */
    public void validate(CompletionRequest request) {
        if (request.getRagCollection() != null) {
            throw unsupported("rag_collection", "rag_collection", null);
        }
        if (request.getAssetIds() != null && !wire.carriesAssetIds()) {
            throw unsupported("asset_ids", "asset_ids", "NVCF asset IDs are for NVIDIA's API catalog");
        }
        requests.check(request);
    }

    /**
     * An {@link InvalidRequestException} saying "{@code what} is not supported by provider NAME (DIALECT)[: hint]".
     */
    public InvalidRequestException unsupported(String parameter, String what, String hint) {
        return new InvalidRequestException(parameter, what + " is not supported by provider " + name() + " ("
                + dialect + ")" + (hint == null ? "" : ": " + hint));
    }

    /**
     * Performs one attempt; see the class comment.
     *
     * @throws ProviderException classified by this client's status table
     */
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
        RequestEncoder.Encoded encoded = requests.chat(call, call.context(name()), target, extraFields);
        if (!encoded.streaming()) {
            return replies.once(encoded.http(), encoded.model());
        }
        // An endpoint that always streams also serves jobs that do not: their deltas go nowhere.
        DeltaSink sink = call.request().getStream() ? call.sink().orElse(delta -> { }) : delta -> { };
        return replies.stream(encoded.http(), encoded.model(), sink);
    }

    /**
     * POSTs {@code jsonBody} to {@code target} with this client's headers (JSON, the key in the wire's scheme) and
     * returns the answer when {@code statuses} calls its status a success; any other status is thrown as
     * {@code statuses} classifies it. For a dialect's side routes, e.g. Vultr's rating.
     *
     * @throws ProviderException when the call fails or the status is not a success
     */
    public HttpReply post(ProviderException.Context context, URI target, String jsonBody, Instant deadline,
                          StatusPolicy statuses) {
        return check(context, transport.send(requests.post(context, target, jsonBody, deadline)), statuses);
    }

    /**
     * {@code reply} when {@code statuses} calls its status a success, else the failure {@code statuses} classifies
     * it as (thrown). For answers a dialect fetched itself, e.g. NVIDIA's status polls.
     *
     * @throws ProviderException when the status is not a success
     */
    public HttpReply check(ProviderException.Context context, HttpReply reply, StatusPolicy statuses) {
        Objects.requireNonNull(statuses, "statuses");
        if (!statuses.isSuccess(reply.status())) {
            throw errors.httpError(context, statuses, reply.status(), reply.headers(), reply.body());
        }
        return reply;
    }

    /** Provider text made safe for messages: no API key, no control characters, bounded length. */
    String sanitize(String text) {
        return errors.sanitize(text);
    }
}
