package io.inferenceworker.provider.transport;

import io.inferenceworker.provider.ProviderException;

/**
 * Turns a provisional answer to a non-streamed chat call into the final one, before its status is judged: NVIDIA's
 * hosted functions may answer {@code 202} with a request ID to poll instead of the result. Hooked into the
 * OpenAI-compatible client ({@code provider.compat.OpenAiCompatibleClient.withPendingReplies}); {@link #NONE} (the
 * default) returns every answer unchanged.
 *
 * <p>Implementations are thread-safe and block the calling (virtual) thread while they wait.
 */
@FunctionalInterface
public interface PendingReplyResolver {

    /** Returns every answer as it is. */
    PendingReplyResolver NONE = (call, reply) -> reply;

    /**
     * @param call  the chat call that got {@code reply} (its context, headers, deadline and connect timeout apply to
     *              any follow-up request)
     * @param reply the provider's answer to it
     * @return the final answer, whose status the client then judges as usual
     * @throws ProviderException when following up fails or the call's deadline passes first
     */
    HttpReply resolve(HttpCall call, HttpReply reply);
}
