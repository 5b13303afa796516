package io.inferenceworker.provider.vultr;

import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ProviderFactory;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.transport.ProviderTransport;
import jakarta.inject.Singleton;
import java.util.Objects;

/**
 * Creates {@code type: vultr} instances; they also implement {@link io.inferenceworker.provider.CompletionRater}.
 * Stateless.
 */
@Singleton
public final class VultrProviderFactory implements ProviderFactory {
    private final ProviderTransport transport;

    /** @param transport the worker\'s HTTP transport, shared by every instance */
    public VultrProviderFactory(ProviderTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }


    @Override
    public String type() {
        return VultrProvider.TYPE;
    }

    /** @throws IllegalArgumentException when a Vultr option is invalid (see {@link VultrOptions}) */
    @Override
    public ChatProvider create(ProviderSettings settings) {
        return new VultrProvider(settings, transport);
    }
}
