package io.inferenceworker.provider.nscale;

import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ProviderFactory;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.transport.ProviderTransport;
import jakarta.inject.Singleton;
import java.util.Objects;

/** Creates {@code type: nscale} instances. Stateless. */
@Singleton
public final class NscaleProviderFactory implements ProviderFactory {
    private final ProviderTransport transport;

    /** @param transport the worker\'s HTTP transport, shared by every instance */
    public NscaleProviderFactory(ProviderTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }


    @Override
    public String type() {
        return NscaleProvider.TYPE;
    }

    @Override
    public ChatProvider create(ProviderSettings settings) {
        return new NscaleProvider(settings, transport);
    }
}
