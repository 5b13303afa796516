package io.inferenceworker.provider.registry;

import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.RetryConfig;
import java.util.Objects;

/**
 * One configured, ready provider instance: its settings, its adapter, its frozen retry policy and price table.
 * Immutable; the provider is thread-safe.
 */
public record ProviderInstance(ProviderSettings settings, ChatProvider provider, RetryConfig retry, PriceTable prices) {

    public ProviderInstance {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(prices, "prices");
    }

    /** The instance name jobs use in their {@code provider} field. */
    public String name() {
        return settings.getName();
    }
}
