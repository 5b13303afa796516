package io.inferenceworker.provider.vultr;

import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.CompletionRater;
import io.inferenceworker.provider.compat.OpenAiCompatibleClient;
import io.inferenceworker.provider.compat.OpenAiReplyMapper;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.transport.ProviderTransport;
import io.inferenceworker.provider.compat.StatusPolicy;
import io.inferenceworker.schemas.CompletionRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Vultr Serverless Inference: {@code POST {base-url}/v1/chat/completions} (option {@code chat-path}) with
 * {@code Authorization: Bearer <inference key>}; a request with {@code rag_collection} goes to the RAG chat completion
 * ({@code options.rag-path}, default {@code /v1/chat/completions/RAG}) with the collection sent as {@code collection}
 * beside the chat fields. Only what the request sets is sent; what Vultr does not document is rejected in
 * {@link #validate} (see {@link VultrRequestRules}). Replies have no {@code object} member, which is fine; tool
 * calls may have no {@code id} and streamed fragments no {@code index}. Streams are requested without
 * {@code stream_options} ({@link VultrChatWire}); when one ends without usage, the usage is estimated and marked
 * {@code estimated}, so usage records, cost and token limits still count the call.
 *
 * <p>Rating ({@link CompletionRater}): {@code POST {base-url}{options.rating-path}} with {@code {"vote":"up"}} or
 * {@code {"vote":"down"}}. The path is not public; the default {@code /v1/chat/completions/{id}/rate} is
 * <b>assumed</b> (see {@link VultrOptions}). Any 2xx is success; errors are classified like chat calls.
 *
 * <p>Statuses: the {@linkplain StatusPolicy#defaults() defaults} (Vultr documents none), except a 429 of type or
 * code {@code insufficient_quota}, a terminal {@code insufficient_credit} (assumed to match OpenAI's shape, which
 * Vultr's OpenAI-compatible API is expected to follow). Retry hints: {@code retry-after-ms}, {@code retry-after},
 * {@code x-ratelimit-*} when present. Thread-safe.
 */
final class VultrProvider implements ChatProvider, CompletionRater {
    static final String TYPE = "vultr";
    /** The defaults and the shared {@link StatusPolicy#INSUFFICIENT_QUOTA} override. */
    static final StatusPolicy STATUSES = StatusPolicy.defaults().with(StatusPolicy.INSUFFICIENT_QUOTA);
    /** The rating call's table: a rating has no answer worth reading, so whatever 2xx Vultr uses is success. */
    static final StatusPolicy RATING_STATUSES = STATUSES.withSuccess(201).withSuccess(202).withSuccess(204);

    private final OpenAiCompatibleClient client;
    private final VultrOptions options;
    private final VultrRequestRules rules;
    private final URI ragEndpoint;
    private final Clock clock;

    /** @throws IllegalArgumentException when an option or a path is invalid */
    VultrProvider(ProviderSettings settings, ProviderTransport transport) {
        this.options = VultrOptions.of(settings.getOptions());
        this.client = new OpenAiCompatibleClient(settings, TYPE, transport, STATUSES)
                .withWire(new VultrChatWire(options.allowExtendedParameters()));
        this.rules = new VultrRequestRules(client, options.allowExtendedParameters());
        this.ragEndpoint = client.uri(options.ragPath());
        // Fail at start-up, not at the first vote, when the rating path cannot form a URI.
        client.uri(options.ratingPath().replace(VultrOptions.ID_PLACEHOLDER, "id"));
        this.clock = transport.clock();
    }

    @Override
    public String name() {
        return client.name();
    }

    @Override
    public void validate(CompletionRequest request) {
        rules.check(request);
        // The shared checks (model, JSON text fields) reject rag_collection, which Vultr does support.
        client.validate(request.getRagCollection() == null ? request
                : CompletionRequest.newBuilder(request).setRagCollection(null).build());
    }

    /** A reply without usage (a stream that ended without it) gets an estimate marked {@code estimated}. */
    @Override
    public ChatReply complete(ChatCall call) {
        String collection = call.request().getRagCollection();
        ChatReply reply = collection == null ? client.complete(call)
                : client.complete(call, ragEndpoint, Map.of("collection", collection));
        return OpenAiReplyMapper.withEstimatedUsage(reply, call.request());
    }

    /** The URI chat requests go to. */
    URI chatEndpoint() {
        return client.endpoint();
    }

    /** The URI RAG chat requests go to. */
    URI ragEndpoint() {
        return ragEndpoint;
    }

    @Override
    public Optional<CompletionRater> rater() {
        return Optional.of(this);
    }

    /**
     * Votes on completion {@code responseId}; blocks for at most {@code options.rating-timeout} (default 30 s).
     *
     * @throws ProviderException.Terminal {@code invalid_request} for a blank ID, else as a chat call's errors (404 for
     *                                    an ID Vultr does not know is a terminal {@code not_found})
     */
    @Override
    public void rate(String responseId, boolean up, ProviderException.Context context) {
        Objects.requireNonNull(context, "context");
        if (responseId == null || responseId.isBlank()) {
            throw ProviderException.of(context, "invalid_request", "no response ID to rate").terminal();
        }
        URI target = client.uri(options.ratingPath().replace(VultrOptions.ID_PLACEHOLDER,
                pathSegment(responseId)));
        String body = up ? "{\"vote\":\"up\"}" : "{\"vote\":\"down\"}";
        client.post(context, target, body, clock.instant().plus(options.ratingTimeout()), RATING_STATUSES);
    }

    /** Percent-encodes {@code text} for use as one path segment (URLEncoder is for forms: it writes spaces as +). */
    private static String pathSegment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
