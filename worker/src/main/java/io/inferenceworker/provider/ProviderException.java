package io.inferenceworker.provider;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Root of everything that can go wrong calling a provider. Unchecked; every instance carries the job's context and
 * a stable machine {@link #code()}. It is either {@link Retryable} (the retry policy may try again, honouring
 * {@link Retryable#retryAfter()}) or {@link Terminal} (the job fails now).
 *
 * <p>Messages never contain API keys, prompt or completion text: they are copied into results and dead-letter
 * headers.
 */
public abstract sealed class ProviderException extends RuntimeException
        permits ProviderException.Retryable, ProviderException.Terminal {

    /** Which job, provider instance and attempt an error belongs to. */
    public record Context(String jobId, String provider, int attempt) {
        @Override
        public String toString() {
            return "job " + jobId + ", provider " + provider + ", attempt " + attempt;
        }
    }

    private final Context context;
    private final String code;
    private final Integer httpStatus;
    private final String providerRequestId;

    protected ProviderException(Context context, String code, String message, Integer httpStatus,
                                String providerRequestId, Throwable cause) {
        super(message, cause);
        this.context = Objects.requireNonNull(context, "context");
        this.code = Objects.requireNonNull(code, "code");
        this.httpStatus = httpStatus;
        this.providerRequestId = providerRequestId;
    }

    public Context context() {
        return context;
    }

    /** A stable code such as {@code rate_limited}, {@code timeout}, {@code server_error}, {@code invalid_request}. */
    public String code() {
        return code;
    }

    public Optional<Integer> httpStatus() {
        return Optional.ofNullable(httpStatus);
    }

    public Optional<String> providerRequestId() {
        return Optional.ofNullable(providerRequestId);
    }

    public abstract boolean isRetryable();

    @Override
    public String getMessage() {
        return super.getMessage() + " (" + context + ")";
    }

    /** Worth another attempt: 408/425/429/5xx, connection failures, timeouts, a broken stream. */
    public static final class Retryable extends ProviderException {
        private final Duration retryAfter;

        public Retryable(Context context, String code, String message, Integer httpStatus,
                         String providerRequestId, Duration retryAfter, Throwable cause) {
            super(context, code, message, httpStatus, providerRequestId, cause);
            this.retryAfter = retryAfter;
        }

        /** The provider's own hint of when to try again, if it gave one. */
        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }

        @Override
        public boolean isRetryable() {
            return true;
        }
    }

    /** Trying again will not help: 400/401/403/404/413/422, nscale's 429 (insufficient credit), bad replies. */
    public static final class Terminal extends ProviderException {
        public Terminal(Context context, String code, String message, Integer httpStatus,
                        String providerRequestId, Throwable cause) {
            super(context, code, message, httpStatus, providerRequestId, cause);
        }

        @Override
        public boolean isRetryable() {
            return false;
        }
    }
}
