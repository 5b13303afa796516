package io.inferenceworker.job;

/** The worker is shutting down and stopped a job before it ended; the job is replayed by the next owner. */
public final class JobAbandonedException extends RuntimeException {
    public JobAbandonedException(String message, Throwable cause) {
        super(message, cause);
    }
}
