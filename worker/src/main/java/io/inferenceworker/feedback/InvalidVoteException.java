package io.inferenceworker.feedback;

/**
 * Names why a vote request was dead-lettered in its {@code __connect.errors.exception.class.name} header: it has no
 * value, no key, or a key that differs from its job ID. Never thrown across the component's boundary.
 */
public final class InvalidVoteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidVoteException(String message) {
        super(message);
    }
}
