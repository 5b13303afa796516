package io.inferenceworker.provider.registry;

import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.ProviderSettings;
import io.inferenceworker.provider.RetryConfig;
import io.inferenceworker.provider.guard.ProviderGuard;
import java.util.Objects;

/**
 * One configured, ready provider instance: its settings, its adapter, the protections its calls pass, its frozen retry
 * policy and price table. Immutable; the provider and the guard are thread-safe.
 *
 * @param provider the dialect's adapter as its factory built it: for {@link ChatProvider#validate} and capabilities
 *                 such as {@link ChatProvider#rater()}. Completions go through {@link #guard()}, never straight here.
 * @param guard    the instance's protections around {@code provider}
 */
public record ProviderInstance(ProviderSettings settings, ChatProvider provider, ProviderGuard guard, RetryConfig retry,
                               PriceTable prices) {

    public ProviderInstance {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(prices, "prices");
    }

    /** The instance name jobs use in their {@code provider} field. */
    public String name() {
        return settings.getName();
    }
}
