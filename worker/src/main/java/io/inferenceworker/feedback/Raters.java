package io.inferenceworker.feedback;

import io.inferenceworker.provider.CompletionRater;
import io.inferenceworker.provider.registry.ProviderInstance;
import java.util.Optional;

/** Finds the rating API of a provider instance. */
final class Raters {
    private Raters() {
    }

    /** The instance's {@link CompletionRater}, if its dialect has a rating API. */
    static Optional<CompletionRater> of(ProviderInstance instance) {
        return instance.provider().rater();
    }
}
