package io.inferenceworker.provider;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Root of everything that can go wrong calling a provider. Unchecked; every instance carries the job's context and
 * a stable machine {@link #code()}. It is either {@link Retryable} (the retry loop may try again, honouring
 * {@link Retryable#retryAfter()}) or {@link Terminal} (the job fails now).
 *
 * <p>Built with a named factory and {@code with*} steps, naming only what is known:
 * <pre>{@code
 * throw ProviderException.of(context, "server_error", "HTTP 503 from the provider")
 *         .withHttpStatus(503).withProviderRequestId(id).withRetryAfter(Duration.ofSeconds(2)).retryable();
 * }</pre>
 *
 * <p>{@link #outage()} says whether the failure shows the provider to be down, which is what its circuit breaker
 * counts. Unless the classifier says otherwise ({@link Details#withOutage}), a retryable failure is an outage when it
 * has no HTTP status (timeouts, connection failures, broken streams), a 5xx or 408, or a status below 400 (a malformed
 * success); a 409, 425 or 429 is not (the provider is up but busy), and a terminal failure never is (a 4xx means the
 * provider is up and judged the request).
 *
 * <p>Messages never contain API keys, prompt or completion text: they are copied into results and dead-letter
 * headers. Immutable.
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

    /**
     * What is known of a failure, before it becomes a {@link #retryable()} or {@link #terminal()} exception. Start
     * with {@link ProviderException#of}; every {@code with*} returns a copy. Absent by default: HTTP status, provider
     * request ID, retry-after hint, cause; the outage verdict defaults as the class comment says.
     */
    public record Details(Context context, String code, String message, Integer httpStatus, String providerRequestId,
                          Duration retryAfter, Throwable cause, Boolean outage) {
        public Details {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        /** @param status the HTTP status the provider answered; null when there was none */
        public Details withHttpStatus(Integer status) {
            return new Details(context, code, message, status, providerRequestId, retryAfter, cause, outage);
        }

        /** @param id the provider's own ID of the request (for support tickets); null when unknown */
        public Details withProviderRequestId(String id) {
            return new Details(context, code, message, httpStatus, id, retryAfter, cause, outage);
        }

        /** @param wait the provider's hint of when to try again; null when it gave none */
        public Details withRetryAfter(Duration wait) {
            return new Details(context, code, message, httpStatus, providerRequestId, wait, cause, outage);
        }

        public Details withCause(Throwable failure) {
            return new Details(context, code, message, httpStatus, providerRequestId, retryAfter, failure, outage);
        }

        /** Overrides the default outage verdict (see {@link ProviderException}); ignored for terminal failures. */
        public Details withOutage(boolean isOutage) {
            return new Details(context, code, message, httpStatus, providerRequestId, retryAfter, cause, isOutage);
        }

        public Retryable retryable() {
            return new Retryable(this);
        }

        public Terminal terminal() {
            return new Terminal(this);
        }
    }

    private final Context context;
    private final String code;
    private final Integer httpStatus;
    private final String providerRequestId;
    private final boolean outage;

    private ProviderException(Details details, boolean outage) {
        super(details.message(), details.cause());
        this.context = details.context();
        this.code = details.code();
        this.httpStatus = details.httpStatus();
        this.providerRequestId = details.providerRequestId();
        this.outage = outage;
    }

    /** The start of every provider failure: see the class comment. */
    public static Details of(Context context, String code, String message) {
        return new Details(context, code, message, null, null, null, null, null);
    }

    /** The details of this failure, to build a related one (e.g. the same failure in another's context). */
    public Details details() {
        return new Details(context, code, super.getMessage(), httpStatus, providerRequestId,
                this instanceof Retryable r ? r.retryAfter : null, getCause(), outage);
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

    /** Whether this failure shows the provider to be down (what a circuit breaker counts); see the class comment. */
    public boolean outage() {
        return outage;
    }

    public abstract boolean isRetryable();

    @Override
    public String getMessage() {
        return super.getMessage() + " (" + context + ")";
    }

    private static boolean defaultOutage(Integer status) {
        return status == null || status < 400 || status >= 500 || status == 408;
    }

    /** Worth another attempt: 408/425/429/5xx, connection failures, timeouts, a broken stream. */
    public static final class Retryable extends ProviderException {
        private final Duration retryAfter;

        private Retryable(Details details) {
            super(details, details.outage() != null ? details.outage() : defaultOutage(details.httpStatus()));
            this.retryAfter = details.retryAfter();
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
        private Terminal(Details details) {
            super(details, false);
        }

        @Override
        public boolean isRetryable() {
            return false;
        }
    }
}
