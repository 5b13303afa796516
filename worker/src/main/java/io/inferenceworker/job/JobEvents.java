package io.inferenceworker.job;

import java.time.Duration;

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

    JobEvents NONE = new JobEvents() {
    };
}
