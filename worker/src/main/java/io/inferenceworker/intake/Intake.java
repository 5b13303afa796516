package io.inferenceworker.intake;

import java.time.Duration;

/**
 * Feeds request records to the job pipeline until stopped. Implementations own one poll thread.
 */
public interface Intake {

    /** Starts the poll thread. */
    void start();

    /**
     * Stops taking new records, lets in-flight jobs finish within {@code grace}, commits or acknowledges what
     * finished, and closes the consumer. Jobs not finished by then are replayed by the next owner.
     */
    void stop(Duration grace);

    /** Jobs started and not yet finished. */
    int inFlight();

    /** True once the consumer has joined its group and the poll loop runs. */
    boolean isRunning();
}
