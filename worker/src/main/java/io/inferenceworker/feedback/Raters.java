package io.inferenceworker.feedback;

import io.inferenceworker.provider.ChatProvider;
import io.inferenceworker.provider.CompletionRater;
import io.inferenceworker.provider.guard.GuardedProvider;
import io.inferenceworker.provider.registry.ProviderInstance;
import java.util.Optional;

/** Finds the rating API of a provider instance. */
final class Raters {
    private Raters() {
    }

    /**
     * The instance's provider as a {@link CompletionRater}, if its dialect has a rating API. The registry wraps every
     * provider in a {@link GuardedProvider}; the capability belongs to the dialect adapter inside.
     */
    static Optional<CompletionRater> of(ProviderInstance instance) {
        ChatProvider provider = instance.provider();
        if (provider instanceof GuardedProvider guarded) {
            provider = guarded.delegate();
        }
        return provider instanceof CompletionRater rater ? Optional.of(rater) : Optional.empty();
    }
}
