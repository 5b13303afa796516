package io.inferenceworker.job;

import io.inferenceworker.provider.ProviderEvents;
import java.time.Duration;

/**
 * What the pipeline reports as jobs move, for metrics: the provider layer's {@link ProviderEvents} plus how jobs end,
 * their usage and dead letters. Implementations must be cheap and thread-safe: they are called on every job's thread.
 */
public interface JobEvents extends ProviderEvents {

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
