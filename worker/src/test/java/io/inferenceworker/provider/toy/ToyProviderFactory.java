package io.inferenceworker.provider.toy;

import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ProviderFactory;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.transport.ProviderTransport;
import java.util.Objects;

/**
 * Creates {@code type: toy} instances. Not a bean here (it would join every test's application context); a real
 * dialect's factory is annotated {@code @Singleton}, as the README shows.
 */
public final class ToyProviderFactory implements ProviderFactory {
    private final ProviderTransport transport;

    public ToyProviderFactory(ProviderTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    @Override
    public String type() {
        return ToyProvider.TYPE;
    }

    @Override
    public ChatProvider create(ProviderSettings settings) {
        return new ToyProvider(settings, transport);
    }
}
