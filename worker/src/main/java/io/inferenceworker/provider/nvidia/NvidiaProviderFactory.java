package io.inferenceworker.provider.nvidia;

import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ProviderFactory;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.ProviderTransport;
import jakarta.inject.Singleton;

/** Creates {@code type: nvidia} instances. Stateless. */
@Singleton
public final class NvidiaProviderFactory implements ProviderFactory {

    @Override
    public String type() {
        return NvidiaProvider.TYPE;
    }

    /** @throws IllegalArgumentException when an NVIDIA option is invalid (see {@link NvidiaOptions}) */
    @Override
    public ChatProvider create(ProviderSettings settings, ProviderTransport transport) {
        return new NvidiaProvider(settings, transport);
    }
}
