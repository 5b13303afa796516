package io.inferenceworker.route;

import java.util.Objects;

/**
 * One hop of a route: a provider instance and the model to ask of it.
 *
 * @param provider the provider instance's name
 * @param model    the model, or null: the instance's default model, else the request's
 */
public record Hop(String provider, String model) {
    public Hop {
        Objects.requireNonNull(provider, "provider");
    }

    @Override
    public String toString() {
        return model == null ? provider : provider + " (" + model + ")";
    }
}
