package io.inferenceworker.provider;

import io.inferenceworker.schemas.Choice;
import io.inferenceworker.schemas.Usage;
import java.util.List;
import java.util.Objects;

/**
 * A provider's complete answer, already mapped to the result contract's types.
 *
 * @param responseId         the provider's response ID ({@code id}), used later to forward votes
 * @param model              the model that answered, as the provider reports it
 * @param choices            choices in index order, tool-call arguments as the JSON text the model produced
 * @param usage              token usage, or null when the provider reported none
 * @param providerRequestId  the provider's request-ID header, for support tickets
 */
public record ChatReply(String responseId, String model, List<Choice> choices, Usage usage, String providerRequestId) {
    public ChatReply {
        choices = List.copyOf(Objects.requireNonNull(choices, "choices"));
    }
}
