package io.inferenceworker.provider;

import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * What calling providers reports, for metrics: attempts, retries, permit waits, deferrals, breaker states and waiting
 * rooms. Owned here so that the provider layer depends on nothing above it; the job pipeline's own events extend it.
 *
 * <p>Implementations must be cheap and thread-safe: they are called on every job's thread. Every method defaults to
 * doing nothing.
 */
public interface ProviderEvents {

    /** One provider attempt ended; {@code status} is {@code ok} or the error code. */
    default void onAttempt(String provider, String model, String status, Integer httpStatus, Duration latency) {
    }

    /** A retry is about to wait and try again. */
    default void onRetry(String provider, String code) {
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
     * {@code provider.guard.WaitingRoom}); {@code waiting} reads how many do now. Reported once, when the instance is
     * built.
     */
    default void onWaitingRoom(String provider, int capacity, IntSupplier waiting) {
    }

    /** Reports nothing. */
    ProviderEvents NONE = new ProviderEvents() {
    };
}
