/**
 * The OpenAI-compatible chat-completions wire format most dialects speak, and how its failures are judged.
 *
 * <p>What a dialect uses (public): {@link io.inferenceworker.provider.compat.OpenAiCompatibleClient}, the client it
 * composes; {@link io.inferenceworker.provider.compat.StatusPolicy}, its status table (defaults plus its overrides,
 * each rule saying retryable or terminal, the code, and whether it is an outage);
 * {@link io.inferenceworker.provider.compat.ChatWire}, where its exchange differs (auth header, stream-only endpoint,
 * body, headers); {@link io.inferenceworker.provider.compat.OpenAiJson}, the wire records; and
 * {@link io.inferenceworker.provider.compat.RetryHints}, the providers' retry-after headers.
 *
 * <p>Inside (package-private): the client is a request encoder ({@code RequestEncoder}, with
 * {@code OpenAiRequestMapper}), a reply and stream decoder ({@code ReplyDecoder}, with {@code OpenAiReplyMapper} and
 * {@code StreamAssembler}) and an error classifier ({@code ErrorClassifier}, with {@code ProviderError}): the one
 * place a status or an in-stream error becomes a {@link io.inferenceworker.provider.ProviderException}.
 */
package io.inferenceworker.provider.compat;
