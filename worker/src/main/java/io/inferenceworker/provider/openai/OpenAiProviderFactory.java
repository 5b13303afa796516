package io.inferenceworker.provider.openai;

import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ProviderFactory;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.transport.ProviderTransport;
import jakarta.inject.Singleton;
import java.util.Objects;

/** Creates {@code type: openai} instances. Stateless. */
@Singleton
public final class OpenAiProviderFactory implements ProviderFactory {
    private final ProviderTransport transport;

    /** @param transport the worker\'s HTTP transport, shared by every instance */
    public OpenAiProviderFactory(ProviderTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }


    @Override
    public String type() {
        return OpenAiProvider.TYPE;
    }

    @Override
    public ChatProvider create(ProviderSettings settings) {
        return new OpenAiProvider(settings, transport);
    }
}
