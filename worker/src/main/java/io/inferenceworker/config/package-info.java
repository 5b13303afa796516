/**
 * The worker's settings: Kafka connection and client pass-through properties ({@code kafka.*}), Schema Registry
 * ({@code schema-registry.*}), topic names ({@code topics.*}), intake mode and concurrency ({@code worker.*}); and
 * {@link io.inferenceworker.config.LazyAdmin}, the admin client built from the Kafka settings on first use.
 * Defaults live in the {@code DEFAULT_*} constants and, for readers of the configuration, in {@code application.yml}.
 */
package io.inferenceworker.config;
