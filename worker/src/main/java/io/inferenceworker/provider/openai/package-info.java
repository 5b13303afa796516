/**
 * The generic OpenAI-compatible dialect ({@code type: openai}): OpenAI, vLLM, Ollama, LiteLLM and anything else that
 * speaks {@code /v1/chat/completions}. A thin adapter over the shared
 * {@link io.inferenceworker.provider.compat.OpenAiCompatibleClient}; the factory is the only public type.
 */
package io.inferenceworker.provider.openai;
