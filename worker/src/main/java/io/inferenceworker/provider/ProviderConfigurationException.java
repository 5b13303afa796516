package io.inferenceworker.provider;

import java.util.List;

/**
 * The {@code providers.*} configuration cannot be used; thrown at start-up, listing every problem found, each
 * naming the property to fix. Never contains an API key.
 */
public final class ProviderConfigurationException extends RuntimeException {
    private final List<String> problems;

    public ProviderConfigurationException(List<String> problems) {
        super("invalid provider configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem. */
    public List<String> problems() {
        return problems;
    }
}
