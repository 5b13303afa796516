package io.inferenceworker.provider.nvidia;

import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ProviderFactory;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.transport.ProviderTransport;
import jakarta.inject.Singleton;
import java.util.Objects;

/** Creates {@code type: nvidia} instances. Stateless. */
@Singleton
public final class NvidiaProviderFactory implements ProviderFactory {
    private final ProviderTransport transport;

    /** @param transport the worker\'s HTTP transport, shared by every instance */
    public NvidiaProviderFactory(ProviderTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }


    @Override
    public String type() {
        return NvidiaProvider.TYPE;
    }

    /** @throws IllegalArgumentException when an NVIDIA option is invalid (see {@link NvidiaOptions}) */
    @Override
    public ChatProvider create(ProviderSettings settings) {
        return new NvidiaProvider(settings, transport);
    }
}
