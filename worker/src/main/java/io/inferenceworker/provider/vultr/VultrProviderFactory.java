package io.inferenceworker.provider.vultr;

import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ProviderFactory;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.ProviderTransport;
import jakarta.inject.Singleton;

/**
 * Creates {@code type: vultr} instances; they also implement {@link io.inferenceworker.provider.CompletionRater}.
 * Stateless.
 */
@Singleton
public final class VultrProviderFactory implements ProviderFactory {

    @Override
    public String type() {
        return VultrProvider.TYPE;
    }

    /** @throws IllegalArgumentException when a Vultr option is invalid (see {@link VultrOptions}) */
    @Override
    public ChatProvider create(ProviderSettings settings, ProviderTransport transport) {
        return new VultrProvider(settings, transport);
    }
}
