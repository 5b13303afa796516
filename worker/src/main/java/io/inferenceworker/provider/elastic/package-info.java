/**
 * The Elasticsearch inference API dialect ({@code type: elastic}): chat completion through
 * {@code POST _inference/chat_completion/{inference_id}/_stream} (8.18+), the job's model naming the inference ID.
 * The shared {@link io.inferenceworker.provider.compat.OpenAiCompatibleClient} does the exchange with Elasticsearch's
 * {@linkplain io.inferenceworker.provider.compat.ChatWire wire variant} ({@code ApiKey} auth, stream-only endpoint,
 * {@code max_completion_tokens}, {@code X-Opaque-Id}, named in-stream error codes); this package adds the request
 * rules, options and path. The factory is the only public type.
 */
package io.inferenceworker.provider.elastic;
