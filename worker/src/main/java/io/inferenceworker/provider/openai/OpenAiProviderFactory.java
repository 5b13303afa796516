package io.inferenceworker.provider.openai;

import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ProviderFactory;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.ProviderTransport;
import jakarta.inject.Singleton;

/** Creates {@code type: openai} instances. Stateless. */
@Singleton
public final class OpenAiProviderFactory implements ProviderFactory {

    @Override
    public String type() {
        return OpenAiProvider.TYPE;
    }

    @Override
    public ChatProvider create(ProviderSettings settings, ProviderTransport transport) {
        return new OpenAiProvider(settings, transport);
    }
}
