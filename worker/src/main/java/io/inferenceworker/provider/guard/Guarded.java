package io.inferenceworker.provider.guard;

import io.inferenceworker.provider.ChatReply;
import io.inferenceworker.provider.ProviderException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What one try through an instance's protections ({@link ProviderGuard#call}) came to: the provider
 * {@link Answered answered}, the try {@link Failed failed}, or the protections {@link Deferred deferred} it (come back
 * after {@link Deferred#retryAfter()}). {@link AttemptLoop} turns a sequence of these into a job's ending.
 *
 * <p>Public error codes of the protections, as results, dead letters and metrics show them:
 * {@value #RATE_LIMITED_LOCALLY}, {@value #CIRCUIT_OPEN} (the codes of a {@link Deferred} and of the failure a job
 * ends with when its window closes while it waits) and {@value #BACKLOG_FULL} (a {@link Failed} try: the job had to
 * wait while its instance's {@link WaitingRoom} was full).
 *
 * <p>Immutable values.
 *
 * @param <T> what an answer carries: a {@link ChatReply} for chat calls
 */
public sealed interface Guarded<T> permits Guarded.Answered, Guarded.Failed, Guarded.Deferred {
    /** A concurrency, request or token limit had no permit soon enough. */
    String RATE_LIMITED_LOCALLY = "rate_limited_locally";
    /** The circuit breaker is open (or half-open with its trial calls under way), or a failure just opened it. */
    String CIRCUIT_OPEN = "circuit_open";
    /** The job had to wait, but its instance's waiting room was full: it failed at once instead. */
    String BACKLOG_FULL = "provider_backlog_full";

    /** The outcome of a call made without protections ({@code call} throws on failure): answered or failed. */
    static <T> Guarded<T> of(Supplier<T> call) {
        try {
            return new Answered<>(call.get());
        } catch (ProviderException e) {
            return failed(e);
        }
    }

    /** The provider was called and failed with {@code failure}. */
    static <T> Failed<T> failed(ProviderException failure) {
        return new Failed<>(failure, Optional.of(failure));
    }

    /** The provider answered (an attempt). */
    record Answered<T>(T value) implements Guarded<T> {
    }

    /**
     * The try failed: terminally, or retryably (the loop may make another attempt).
     *
     * @param failure         what the job fails with if it ends here
     * @param providerFailure the provider's own failure when this try called the provider, which makes it an
     *                        attempt (the same as {@code failure}, or the failure behind a {@value #BACKLOG_FULL});
     *                        empty when the try was refused before any call
     */
    record Failed<T>(ProviderException failure, Optional<ProviderException> providerFailure) implements Guarded<T> {
        public Failed {
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(providerFailure, "providerFailure");
        }
    }

    /**
     * The protections ask the job to come back after {@code retryAfter}: not an attempt, and not counted against
     * {@code max-attempts}. The job holds a place in its instance's {@link WaitingRoom} meanwhile.
     *
     * @param code            {@value #RATE_LIMITED_LOCALLY} or {@value #CIRCUIT_OPEN}
     * @param message         why, for the failure the job ends with if it cannot wait any longer
     * @param retryAfter      when to come back (zero: at once)
     * @param context         the job, instance and attempt number of the try
     * @param providerFailure the provider's failure this deferral replaces, when the provider was called (it failed
     *                        and opened, or found open, the circuit breaker); empty when refused before any call
     */
    record Deferred<T>(String code, String message, Duration retryAfter, ProviderException.Context context,
                       Optional<ProviderException> providerFailure) implements Guarded<T> {
        public Deferred {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(retryAfter, "retryAfter");
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(providerFailure, "providerFailure");
        }

        /**
         * The retryable failure a job ends with when its retry window closes while it waits: this code and message,
         * with the replaced provider failure's HTTP status and request ID.
         */
        public ProviderException.Retryable failure() {
            return ProviderException.of(context, code, message)
                    .withHttpStatus(providerFailure.flatMap(ProviderException::httpStatus).orElse(null))
                    .withProviderRequestId(providerFailure.flatMap(ProviderException::providerRequestId).orElse(null))
                    .withRetryAfter(retryAfter).withCause(providerFailure.orElse(null)).retryable();
        }
    }
}
