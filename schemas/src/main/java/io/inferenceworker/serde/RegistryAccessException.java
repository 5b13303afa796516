package io.inferenceworker.serde;

/**
 * The schema registry refused who we are: HTTP 401 or 403, or the TLS handshake failed on certificates
 * (registry certificate not trusted, host name mismatch, client certificate refused). A configuration error:
 * not transient enough to retry blindly and never the record's fault, so never dead-letter on it.
 *
 * <p>With TLS 1.3 a server refuses a missing client certificate after the client's side of the handshake;
 * the client then usually reads the {@code certificate_required} alert (this exception) but may only see the
 * connection reset, which is indistinguishable from a network failure ({@link RegistryUnavailableException}).
 */
public final class RegistryAccessException extends SerdeException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;

    /**
     * @param message    the operation and registry (no credentials)
     * @param httpStatus 401 or 403, or 0 when TLS failed before any HTTP exchange
     * @param schemaId   the schema id concerned, or {@code null}
     * @param cause      the underlying error, or {@code null}
     */
    public RegistryAccessException(String message, int httpStatus, Integer schemaId, Throwable cause) {
        super(message, schemaId, cause);
        this.httpStatus = httpStatus;
    }

    /** 401 or 403, or 0 for a TLS failure. */
    public int httpStatus() {
        return httpStatus;
    }
}
