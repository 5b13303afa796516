package io.inferenceworker.provider.toy;

import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.compat.OpenAiCompatibleClient;
import io.inferenceworker.provider.compat.StatusPolicy;
import io.inferenceworker.provider.transport.ProviderTransport;
import io.inferenceworker.schemas.CompletionRequest;

/** One {@code type: toy} instance: the README's "Adding a provider" example, kept true by AddingAProviderTest. */
final class ToyProvider implements ChatProvider {
    static final String TYPE = "toy";
    static final StatusPolicy STATUSES = StatusPolicy.defaults()
            .with(StatusPolicy.INSUFFICIENT_QUOTA)
            .withStatus(402, StatusPolicy.Rule.fail("insufficient_credit"))
            .withStatus(529, StatusPolicy.Rule.busy("overloaded"));

    private final OpenAiCompatibleClient client;
    private final ToyOptions options;

    ToyProvider(ProviderSettings settings, ProviderTransport transport) {
        this.options = ToyOptions.of(settings.getOptions());
        this.client = new OpenAiCompatibleClient(settings, TYPE, transport, STATUSES);
    }

    @Override
    public String name() {
        return client.name();
    }

    @Override
    public void validate(CompletionRequest request) {
        if (!options.topK() && request.getTopK() != null) {
            throw client.unsupported("top_k", "top_k", "set options.top-k: true if your deployment takes it");
        }
        client.validate(request);
    }

    @Override
    public ChatReply complete(ChatCall call) {
        return client.complete(call);
    }
}
