/**
 * The OpenAI-compatible chat-completions wire format most dialects speak, and how its failures are judged:
 * {@link io.inferenceworker.provider.compat.OpenAiCompatibleClient} composes the request encoder
 * ({@link io.inferenceworker.provider.compat.OpenAiRequestMapper}), the reply and stream decoders
 * ({@link io.inferenceworker.provider.compat.OpenAiReplyMapper},
 * {@link io.inferenceworker.provider.compat.StreamAssembler}), and the status table
 * ({@link io.inferenceworker.provider.compat.StatusPolicy}, with
 * {@link io.inferenceworker.provider.compat.RetryHints} and {@link io.inferenceworker.provider.compat.ProviderError})
 * that a dialect extends with its own overrides. {@link io.inferenceworker.provider.compat.ChatWire} is where a
 * dialect's exchange differs (paths, auth header, stream-only endpoints).
 */
package io.inferenceworker.provider.compat;
