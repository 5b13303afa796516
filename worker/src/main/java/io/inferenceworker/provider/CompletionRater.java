package io.inferenceworker.provider;

/**
 * Optional capability of a {@link ChatProvider}: forwarding a user's up/down vote on a completion to the provider
 * that produced it. A provider that supports rating returns its rater from {@link ChatProvider#rater()} (default:
 * none); callers ask for it there, never by type tests.
 *
 * <p>Implementations are thread-safe and blocking (run them on a virtual thread). Failures are thrown as
 * {@link ProviderException}, classified exactly like chat calls (by the dialect's status table): a {@link
 * ProviderException.Retryable} may be tried again, a {@link ProviderException.Terminal} may not (e.g. an unknown
 * response ID).
 */
public interface CompletionRater {

    /**
     * Rates one completion.
     *
     * @param responseId the provider's response ID, as returned in {@link ChatReply}
     * @param up         {@code true} for a thumbs-up, {@code false} for a thumbs-down
     * @param context    job/provider/attempt, carried by any exception thrown
     * @throws ProviderException when the provider refuses the vote or cannot be reached
     */
    void rate(String responseId, boolean up, ProviderException.Context context);
}
