/**
 * The configured provider instances: {@link io.inferenceworker.provider.registry.ProviderRegistry} builds each
 * {@code providers.<name>} block with its dialect's factory, checks it at start-up (fails fast listing every problem),
 * and wraps it in its protections; {@link io.inferenceworker.provider.registry.ProviderInstance} is what a job finds
 * by name; {@link io.inferenceworker.provider.registry.PriceTable} estimates cost from usage.
 */
package io.inferenceworker.provider.registry;
