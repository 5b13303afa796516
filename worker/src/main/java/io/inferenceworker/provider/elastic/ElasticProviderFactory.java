package io.inferenceworker.provider.elastic;

import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ProviderFactory;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.transport.ProviderTransport;
import jakarta.inject.Singleton;
import java.util.Objects;

/** Creates {@code type: elastic} instances (the Elasticsearch inference API). Stateless. */
@Singleton
public final class ElasticProviderFactory implements ProviderFactory {
    private final ProviderTransport transport;

    /** @param transport the worker\'s HTTP transport, shared by every instance */
    public ElasticProviderFactory(ProviderTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }


    @Override
    public String type() {
        return ElasticProvider.TYPE;
    }

    /** @throws IllegalArgumentException when an Elasticsearch option or the default inference ID is invalid */
    @Override
    public ChatProvider create(ProviderSettings settings) {
        return new ElasticProvider(settings, transport);
    }
}
