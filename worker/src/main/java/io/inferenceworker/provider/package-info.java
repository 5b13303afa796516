/**
 * Calling LLM providers: the {@link io.inferenceworker.provider.ChatProvider} SPI every dialect implements,
 * the shared OpenAI-compatible JSON model, provider configuration ({@code providers.<name>.*}), the one place
 * where HTTP statuses map to retry/terminal actions, retry hints ({@code Retry-After}, {@code retry-after-ms},
 * {@code x-ratelimit-*}), and the per-instance protections (concurrency, rate limits, circuit breaker).
 *
 * <p>One sub-package per dialect: {@code provider.openai} (generic OpenAI-compatible), {@code provider.vultr},
 * {@code provider.elastic}, {@code provider.nvidia}, {@code provider.nscale}. Adding a provider is one package
 * and a configuration block.
 *
 * <p>Main types: {@link io.inferenceworker.provider.ProviderRegistry} (the configured instances, checked at
 * start-up) built by each dialect's {@link io.inferenceworker.provider.ProviderFactory};
 * {@link io.inferenceworker.provider.ProviderTransport} (JDK HTTP client, deadlines, connection errors);
 * {@link io.inferenceworker.provider.StatusPolicy} and {@link io.inferenceworker.provider.RetryHints} (status to
 * action, provider retry hints); the OpenAI-compatible wire shared by most dialects:
 * {@link io.inferenceworker.provider.OpenAiJson}, {@link io.inferenceworker.provider.OpenAiRequestMapper},
 * {@link io.inferenceworker.provider.OpenAiReplyMapper}, {@link io.inferenceworker.provider.SseReader},
 * {@link io.inferenceworker.provider.StreamAssembler}, {@link io.inferenceworker.provider.ProviderError}, composed
 * by {@link io.inferenceworker.provider.OpenAiCompatibleClient}; and {@link io.inferenceworker.provider.PriceTable}
 * for estimated cost.
 */
package io.inferenceworker.provider;
