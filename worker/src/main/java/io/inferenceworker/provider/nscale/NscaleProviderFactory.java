package io.inferenceworker.provider.nscale;

import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ProviderFactory;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.ProviderTransport;
import jakarta.inject.Singleton;

/** Creates {@code type: nscale} instances. Stateless. */
@Singleton
public final class NscaleProviderFactory implements ProviderFactory {

    @Override
    public String type() {
        return NscaleProvider.TYPE;
    }

    @Override
    public ChatProvider create(ProviderSettings settings, ProviderTransport transport) {
        return new NscaleProvider(settings, transport);
    }
}
