package io.inferenceworker.job;

/**
 * What the intake does with a request record once the pipeline is done with it. Every output has been acknowledged by
 * Kafka before any of these is reported, except {@link #ABANDON}.
 */
public enum Disposition {
    /** Finished (SUCCEEDED or EXPIRED): commit the offset, or ACCEPT in a share group. */
    DONE,
    /** Finished and dead-lettered (FAILED, INVALID, undecodable): commit the offset, or REJECT in a share group. */
    DEAD_LETTERED,
    /**
     * Not finished, reported only when the pipeline shuts down (or refuses a job because it is closed): leave the
     * offset uncommitted, or RELEASE in a share group, so it is replayed. Nothing terminal was published for it.
     */
    ABANDON
}
