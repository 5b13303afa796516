package io.inferenceworker.feedback;

/**
 * Names why a vote was dead-lettered at stage {@code join} in its {@code __connect.errors.exception.class.name}
 * header: no result of its job arrived within {@code votes.wait-window}. Never thrown across the component's
 * boundary.
 */
public final class UnknownJobException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnknownJobException(String message) {
        super(message);
    }
}
