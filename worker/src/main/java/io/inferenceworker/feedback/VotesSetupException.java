package io.inferenceworker.feedback;

/**
 * The votes component cannot start: a topic it needs is missing, the result and vote request topics are not
 * co-partitioned, or Kafka could not be asked. The message says which and what to do; {@link #isRetriable()} says
 * whether asking again may help (Kafka did not answer) or not (the topics do not fit).
 */
public final class VotesSetupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean retriable;

    public VotesSetupException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    /** Whether the check may pass later without a change of configuration or topics. */
    public boolean isRetriable() {
        return retriable;
    }
}
