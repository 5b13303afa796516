package io.inferenceworker.provider.guard;

import io.inferenceworker.provider.ChatCall;
import io.inferenceworker.provider.ProviderException;
import java.time.Duration;
import java.util.Optional;

/**
 * Marks a {@link ProviderException.Retryable} that an instance's own protections ({@link GuardedProvider}) raised
 * instead of, or in place of, a provider failure: the job should wait {@link ProviderException.Retryable#retryAfter()}
 * within its retry window and try again, and the retry loop must not count the wait against {@code max-attempts}.
 * It travels as the exception's cause; find it with {@link #of(Throwable)}.
 *
 * <p>Codes: {@value #RATE_LIMITED_LOCALLY} (a concurrency, request or token limit had no permit soon enough) and
 * {@value #CIRCUIT_OPEN} (the circuit breaker is open, or a failure just opened it). A job that would have to wait
 * while its instance's {@link WaitingRoom} is full does not wait: it fails with a {@link ProviderException.Terminal}
 * of code {@value #BACKLOG_FULL} whose cause is the wait it was refused ({@link #behind(Throwable)} finds it).
 *
 * <p>Immutable; carries no stack trace (it is flow control, raised often while a provider is limited or down).
 */
public final class LocalWait extends RuntimeException {
    public static final String RATE_LIMITED_LOCALLY = "rate_limited_locally";
    public static final String CIRCUIT_OPEN = "circuit_open";
    /** The job had to wait, but its instance's waiting room was full: it failed at once instead. */
    public static final String BACKLOG_FULL = "provider_backlog_full";

    private final boolean providerCalled;

    private LocalWait(String message, boolean providerCalled, Throwable cause) {
        super(message, cause, false, false);
        this.providerCalled = providerCalled;
    }

    /** The wait a retryable failure asks for, when the instance's protections raised it. */
    public static Optional<LocalWait> of(Throwable failure) {
        return failure instanceof ProviderException.Retryable && failure.getCause() instanceof LocalWait wait
                ? Optional.of(wait) : Optional.empty();
    }

    /**
     * The wait behind {@code failure}: the wait it asks for, or the wait it was refused because the instance's
     * waiting room was full ({@value #BACKLOG_FULL}).
     */
    public static Optional<LocalWait> behind(Throwable failure) {
        return failure instanceof ProviderException && failure.getCause() instanceof LocalWait wait
                ? Optional.of(wait) : Optional.empty();
    }

    /**
     * True when the provider was called and failed, and the failure became a wait because it opened (or found open)
     * the circuit breaker; false when the call was refused before reaching the provider.
     */
    public boolean providerCalled() {
        return providerCalled;
    }

    /** The provider's own failure this wait replaces, when the provider was called. */
    public Optional<ProviderException> providerFailure() {
        return getCause() instanceof ProviderException p ? Optional.of(p) : Optional.empty();
    }

    /** A refusal before any call: wait {@code retryAfter}, then try again. */
    static ProviderException.Retryable refusal(ChatCall call, String provider, String code, String message,
                                               Duration retryAfter) {
        return ProviderException.of(call.context(provider), code, message).withRetryAfter(retryAfter)
                .withCause(new LocalWait(message, false, null)).retryable();
    }

    /** A provider failure that found the circuit breaker open: wait {@code retryAfter} instead of counting it. */
    static ProviderException.Retryable replacing(ProviderException failure, Duration retryAfter) {
        String message = "provider failed (" + failure.code()
                + failure.httpStatus().map(s -> ", HTTP " + s).orElse("")
                + ") and its circuit breaker is open; waiting " + retryAfter.toMillis() + " ms before trying again";
        return ProviderException.of(failure.context(), CIRCUIT_OPEN, message)
                .withHttpStatus(failure.httpStatus().orElse(null))
                .withProviderRequestId(failure.providerRequestId().orElse(null)).withRetryAfter(retryAfter)
                .withCause(new LocalWait(message, true, failure)).retryable();
    }

    /**
     * The terminal failure of a job that had to wait ({@code wait}, a {@link #of(Throwable) local wait}) while
     * {@code room} was full. Its message names the instance, the share and why the job had to wait.
     */
    static ProviderException.Terminal backlogFull(ProviderException.Retryable wait, WaitingRoom room) {
        LocalWait cause = (LocalWait) wait.getCause();
        String why = CIRCUIT_OPEN.equals(wait.code()) ? "its circuit breaker is open" : "it is rate-limited locally";
        return backlogFull(wait, room, why, "waiting", "Wait refused: " + cause.getMessage(), cause);
    }

    /**
     * The terminal failure of a job whose attempt failed retryably ({@code failure}) while {@code room} was full: it
     * would have waited before its next attempt. Its message names the instance, the share and the failure.
     */
    public static ProviderException.Terminal backlogFullBeforeRetry(ProviderException failure, WaitingRoom room) {
        String why = "failing (" + failure.code() + failure.httpStatus().map(s -> ", HTTP " + s).orElse("") + ")";
        return backlogFull(failure, room, why, "waiting to retry", "Last failure: " + failure.getMessage(), failure);
    }

    private static ProviderException.Terminal backlogFull(ProviderException failure, WaitingRoom room, String why,
                                                          String instead, String detail, Throwable cause) {
        String message = "provider instance " + room.instance() + " is " + why + " and already has "
                + room.capacity() + " jobs waiting, its share of the in-flight limit (" + room.limitText()
                + "): this job fails now instead of " + instead + ", so that other instances keep the rest; replay "
                + "it from the dead-letter topic once the provider is back. " + detail;
        return ProviderException.of(failure.context(), BACKLOG_FULL, message)
                .withHttpStatus(failure.httpStatus().orElse(null))
                .withProviderRequestId(failure.providerRequestId().orElse(null)).withCause(cause).terminal();
    }
}
