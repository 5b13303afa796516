package io.inferenceworker.provider.elastic;

import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ProviderFactory;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.ProviderTransport;
import jakarta.inject.Singleton;

/** Creates {@code type: elastic} instances (the Elasticsearch inference API). Stateless. */
@Singleton
public final class ElasticProviderFactory implements ProviderFactory {

    @Override
    public String type() {
        return ElasticProvider.TYPE;
    }

    /** @throws IllegalArgumentException when an Elasticsearch option or the default inference ID is invalid */
    @Override
    public ChatProvider create(ProviderSettings settings, ProviderTransport transport) {
        return new ElasticProvider(settings, transport);
    }
}
