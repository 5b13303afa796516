package io.inferenceworker.provider;

/**
 * Creates the {@link ChatProvider} of one dialect. Each dialect package contributes one {@code @Singleton}
 * implementation, given what it needs (the HTTP transport) by constructor injection; the registry picks the factory
 * whose {@link #type()} equals an instance's {@code providers.<name>.type}. Adding a provider is one package and a
 * configuration block.
 *
 * <p>Implementations are stateless and thread-safe.
 */
public interface ProviderFactory {

    /** The dialect name configured as {@code type}, lower case, e.g. {@code openai}, {@code nscale}. */
    String type();

    /**
     * Creates the provider of one configured instance. Called once per instance at start-up; the registry has
     * already checked the type, base URL, transport security and retry settings.
     *
     * @throws IllegalArgumentException when a dialect-specific setting is invalid (the registry reports it with the
     *                                  instance name)
     */
    ChatProvider create(ProviderSettings settings);
}
