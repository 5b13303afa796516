/**
 * The Vultr Serverless Inference dialect ({@code type: vultr}): OpenAI-compatible chat through the shared
 * {@link io.inferenceworker.provider.compat.OpenAiCompatibleClient}, restricted to the parameters of Vultr's Inference API
 * 1.2.0 reference, plus Vultr's RAG chat completion over a vector-store {@code collection} and the rating of a
 * completion ({@link io.inferenceworker.provider.CompletionRater}). The factory is the only public type.
 */
package io.inferenceworker.provider.vultr;
