package io.inferenceworker.provider;

/**
 * Receives streamed deltas of one attempt, in order, on the thread that performs the call.
 * The worker publishes each as a {@code CompletionChunk}.
 */
@FunctionalInterface
public interface DeltaSink {
    void onDelta(Delta delta);
}
