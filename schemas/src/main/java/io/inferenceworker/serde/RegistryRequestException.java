package io.inferenceworker.serde;

/**
 * The schema registry answered, definitively, something other than success: the schema is incompatible
 * with the subject (409), invalid (422/42201), not registered while {@code auto.register.schemas=false}
 * (40401/40403), the subject has no versions for {@code use.latest.version} (40401/40402); or the answer was
 * not the registry protocol at all (e.g. a 404 without Confluent error code, or a non-JSON 200: a wrong URL).
 * Not transient, not the record's fault.
 */
public final class RegistryRequestException extends SerdeException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final int errorCode;

    /**
     * @param message    the operation, subject and the registry's own message
     * @param httpStatus the HTTP status answered
     * @param errorCode  the Confluent {@code error_code}, or -1 if none
     * @param schemaId   the schema id concerned, or {@code null}
     */
    public RegistryRequestException(String message, int httpStatus, int errorCode, Integer schemaId) {
        super(message, schemaId, null);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** The HTTP status answered. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The Confluent {@code error_code} (e.g. 409, 42201, 40401), or -1 when the answer carried none. */
    public int errorCode() {
        return errorCode;
    }
}
