package io.inferenceworker.provider;

import io.inferenceworker.schemas.Choice;
import io.inferenceworker.schemas.Usage;
import java.util.List;
import java.util.Objects;

/**
 * A provider's complete answer, already mapped to the result contract's types. Immutable.
 *
 * @param responseId         the provider's response ID ({@code id}), used later to forward votes
 * @param model              the model that answered, as the provider reports it
 * @param choices            choices in index order, tool-call arguments as the JSON text the model produced
 * @param usage              token usage, or null when the provider reported none (an adapter may estimate it and
 *                           mark it {@code estimated})
 * @param providerRequestId  the provider's request-ID header, for support tickets
 * @param systemFingerprint  the answer's {@code system_fingerprint}, or null (default) when it has none
 */
public record ChatReply(String responseId, String model, List<Choice> choices, Usage usage, String providerRequestId,
                        String systemFingerprint) {
    public ChatReply {
        choices = List.copyOf(Objects.requireNonNull(choices, "choices"));
    }

    /** An answer without {@code system_fingerprint}. */
    public ChatReply(String responseId, String model, List<Choice> choices, Usage usage, String providerRequestId) {
        this(responseId, model, choices, usage, providerRequestId, null);
    }

    /** This answer with {@code usage} instead. */
    public ChatReply withUsage(Usage usage) {
        return new ChatReply(responseId, model, choices, usage, providerRequestId, systemFingerprint);
    }
}
