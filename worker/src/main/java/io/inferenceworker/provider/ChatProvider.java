package io.inferenceworker.provider;

import io.inferenceworker.schemas.CompletionRequest;
import java.util.Optional;

/**
 * One configured provider instance ({@code providers.<name>}) speaking one dialect.
 *
 * <p>Calls are blocking and made from virtual threads, so an implementation simply blocks on I/O. Implementations
 * are thread-safe: one instance serves every job that names it.
 */
public interface ChatProvider {

    /** The instance name jobs use in their {@code provider} field. */
    String name();

    /**
     * Rejects, before any call, a request the dialect cannot honour (an unsupported parameter, a value out of the
     * provider's range). Silently dropping a parameter would change the answer the user asked for.
     *
     * @throws InvalidRequestException naming the parameter and this provider
     */
    void validate(CompletionRequest request);

    /**
     * Performs one attempt. Streams when {@code call.sink()} is present and the request asks for it, delivering
     * deltas to the sink as they arrive, and still returns the assembled reply.
     *
     * @throws ProviderException classified as {@link ProviderException.Retryable} or {@link ProviderException.Terminal}
     */
    ChatReply complete(ChatCall call);

    /**
     * This provider's rating API, when its dialect has one ({@link CompletionRater}). Default: none.
     */
    default Optional<CompletionRater> rater() {
        return Optional.empty();
    }
}
