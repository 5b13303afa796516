/**
 * Provider simulator: one real HTTP server ({@link com.sun.net.httpserver.HttpServer} on virtual threads) that
 * speaks each LLM provider's chat-completion dialect — Vultr, the Elasticsearch inference API, the NVIDIA API
 * catalog, nscale and generic OpenAI-compatible servers — including their faults, so the worker's adapters can be
 * tested, demonstrated and benchmarked without the internet.
 *
 * <p>The public surface is {@link io.inferenceworker.testkit.sim.ProviderSimulator} (start, routes, scenarios,
 * counters, request log), {@link io.inferenceworker.testkit.sim.Behaviour} (what one request gets),
 * {@link io.inferenceworker.testkit.sim.Dialect}, {@link io.inferenceworker.testkit.sim.VllmErrorShape} and
 * {@link io.inferenceworker.testkit.sim.RecordedRequest}. Everything else is package-private: one class per
 * dialect ({@code VultrDialect}, {@code ElasticDialect}, {@code NvidiaDialect}, {@code NscaleDialect},
 * {@code OpenAiDialect}), the shared request pipeline ({@code ChatFlow}), the answer planner and wire renderers.
 *
 * <p>Facts about the dialects come from the provider documents in {@code /work/shared/seeds} and
 * {@code provider-notes.md}; where a provider's behaviour is undocumented, the assumption made is stated in the
 * Javadoc of {@code ProviderSimulator}.
 */
package io.inferenceworker.testkit.sim;
