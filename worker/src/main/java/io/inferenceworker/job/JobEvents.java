package io.inferenceworker.job;

import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * What the pipeline reports as jobs move, for metrics. Implementations must be cheap and thread-safe: they are called
 * on every job's thread.
 */
public interface JobEvents {

    /** One provider attempt ended; {@code status} is {@code ok} or the error code. */
    default void onAttempt(String provider, String model, String status, Integer httpStatus, Duration latency) {
    }

    /** A retry is about to wait and try again. */
    default void onRetry(String provider, String code) {
    }

    /** A job ended with {@code outcome} (succeeded, failed, expired, invalid, undecodable). */
    default void onOutcome(String provider, String model, String outcome, Duration total) {
    }

    /** Tokens reported by a provider, and the estimated cost when a price is configured. */
    default void onUsage(String provider, String model, long promptTokens, long completionTokens, double cost) {
    }

    /** A dead letter was acknowledged by Kafka. */
    default void onDeadLetter(String stage) {
    }

    /**
     * A call to {@code provider} waited {@code wait} (possibly zero) for a permit of its {@code limiter}:
     * {@code concurrency}, {@code requests} or {@code tokens}. For rate limits the wait is the time until the reserved
     * permit is due, whether the call waits it inside its attempt or is sent back to wait (see {@link #onDeferred}).
     */
    default void onLimiterWait(String provider, String limiter, Duration wait) {
    }

    /**
     * The protections of {@code provider} sent a call back to wait outside its attempt, without counting an attempt;
     * {@code reason} is the limiter ({@code concurrency}, {@code requests}, {@code tokens}) or {@code circuit_open}.
     */
    default void onDeferred(String provider, String reason) {
    }

    /**
     * The circuit breaker of {@code provider} is now in {@code state}: {@code closed}, {@code open},
     * {@code half_open}, {@code disabled} (or {@code forced_open}, {@code metrics_only}). Reported once when the
     * instance is built, then on every transition.
     */
    default void onCircuitState(String provider, String state) {
    }

    /**
     * The waiting room of {@code provider} exists: at most {@code capacity} of its jobs may wait at once (see
     * {@code provider.WaitingRoom}); {@code waiting} reads how many do now. Reported once, when the instance is built.
     */
    default void onWaitingRoom(String provider, int capacity, IntSupplier waiting) {
    }

    JobEvents NONE = new JobEvents() {
    };
}
