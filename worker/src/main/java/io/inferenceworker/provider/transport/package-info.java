/**
 * HTTP for every dialect: {@link io.inferenceworker.provider.transport.ProviderTransport} (one JDK HTTP client,
 * deadlines, connection failures as retryable errors), a request ({@link io.inferenceworker.provider.transport.HttpCall})
 * and its answer ({@link io.inferenceworker.provider.transport.HttpReply}, or a
 * {@link io.inferenceworker.provider.transport.HttpStream} read as server-sent events by
 * {@link io.inferenceworker.provider.transport.SseReader}), request bodies without copies
 * ({@link io.inferenceworker.provider.transport.ByteArrayBody}), and the hook for providers that answer later
 * ({@link io.inferenceworker.provider.transport.PendingReplyResolver}). Knows nothing of any wire format.
 */
package io.inferenceworker.provider.transport;
