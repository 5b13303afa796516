package io.inferenceworker.provider.compat;

import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.compat.OpenAiJson.ChatRequest;
import java.util.Map;

/**
 * How a dialect's chat exchange departs from plain OpenAI chat completions, for
 * {@link OpenAiCompatibleClient#withWire(ChatWire)}. Every method defaults to OpenAI's convention
 * ({@link #OPENAI}), so a dialect overrides only what differs — e.g. Elasticsearch's {@code ApiKey} scheme, its
 * stream-only endpoint and its strict body. How errors are classified is not the wire's business but the dialect's
 * {@link StatusPolicy}'s (Elasticsearch's named in-stream error codes included).
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface ChatWire {

    /** Plain OpenAI: Bearer key, streams only when the job does, body as mapped, no extra headers. */
    ChatWire OPENAI = new ChatWire() {
    };

    /** The {@code Authorization} header value for the configured (trimmed, non-blank) key; default Bearer. */
    default String authorization(String apiKey) {
        return "Bearer " + apiKey;
    }

    /**
     * Whether the endpoint answers every call with a stream of events (Elasticsearch's {@code _stream}). Then every
     * call is read as a stream, the body carries no {@code stream}/{@code stream_options} (the endpoint implies
     * them), and deltas reach the sink only when the job streams. Default false.
     */
    default boolean alwaysStreams() {
        return false;
    }

    /**
     * The body to send, given the mapped request (already with {@code stream: true} when a job streams to an
     * endpoint that does not {@linkplain #alwaysStreams() always stream}). Default: unchanged.
     */
    default ChatRequest body(ChatRequest mapped) {
        return mapped;
    }

    /**
     * Whether this exchange carries the request's {@code asset_ids} (NVIDIA: as {@code NVCF-INPUT-ASSET-REFERENCES}).
     * Where it does not, a job with asset IDs is refused rather than sent without them. Default false.
     */
    default boolean carriesAssetIds() {
        return false;
    }

    /** Extra request headers of one attempt, e.g. a correlation ID; never the key. Default none. */
    default Map<String, String> headers(ChatCall call) {
        return Map.of();
    }
}
