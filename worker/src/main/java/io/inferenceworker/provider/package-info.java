/**
 * The provider SPI: what a dialect implements and what the rest of the worker calls. Nothing here depends on any other
 * worker package.
 *
 * <ul>
 *   <li>{@link io.inferenceworker.provider.ChatProvider} (one configured instance; one attempt per call) and the
 *       optional {@link io.inferenceworker.provider.CompletionRater} capability (forwarding votes);</li>
 *   <li>{@link io.inferenceworker.provider.ProviderFactory}, one {@code @Singleton} per dialect, selected by an
 *       instance's {@code type};</li>
 *   <li>the values of a call: {@link io.inferenceworker.provider.ChatCall}, {@link io.inferenceworker.provider.ChatReply},
 *       streamed {@link io.inferenceworker.provider.Delta}s into a {@link io.inferenceworker.provider.DeltaSink};</li>
 *   <li>the sealed failure family {@link io.inferenceworker.provider.ProviderException} (retryable or terminal);</li>
 *   <li>configuration: {@link io.inferenceworker.provider.ProviderSettings} ({@code providers.<name>.*}),
 *       {@link io.inferenceworker.provider.RetryConfig}; and {@link io.inferenceworker.provider.ProviderEvents} for
 *       metrics.</li>
 * </ul>
 *
 * <p>Around it: {@code provider.registry} (the configured instances), {@code provider.guard} (each instance's
 * protections and the attempt loop), {@code provider.transport} (HTTP, SSE, bodies), {@code provider.compat} (the
 * OpenAI-compatible wire format most dialects share), and one package per dialect: {@code provider.openai},
 * {@code provider.vultr}, {@code provider.elastic}, {@code provider.nvidia}, {@code provider.nscale}. Adding a
 * provider is one package and a configuration block (README, "Adding a provider").
 */
package io.inferenceworker.provider;
