package io.inferenceworker.serde;

/**
 * The schema registry could not be reached or answered "not now": connection refused or reset, timeout,
 * HTTP 5xx, 408 or 429, on every configured URL. Transient: retry the same record later (with backoff);
 * never dead-letter it. Each URL's failure is attached (cause, then suppressed).
 */
public final class RegistryUnavailableException extends SerdeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message  the operation and the registries tried (user info already stripped)
     * @param schemaId the schema id concerned, or {@code null}
     * @param cause    the last failure, or {@code null}
     */
    public RegistryUnavailableException(String message, Integer schemaId, Throwable cause) {
        super(message, schemaId, cause);
    }
}
