package io.inferenceworker.intake;

import java.time.Duration;
import java.util.Objects;

/**
 * Concurrency and commit cadence of an intake.
 *
 * @param inFlightLimit      jobs running at once per worker, whatever the partitions
 * @param inFlightBytesLimit request bytes (record key + value) of the jobs running at once; one job is always
 *                           admitted when none runs
 * @param commitInterval     how often completed offsets are committed
 */
public record IntakeLimits(int inFlightLimit, long inFlightBytesLimit, Duration commitInterval) {
    public IntakeLimits {
        if (inFlightLimit < 1) {
            throw new IllegalArgumentException("in-flight limit must be >= 1");
        }
        if (inFlightBytesLimit < 1) {
            throw new IllegalArgumentException("in-flight bytes limit must be >= 1");
        }
        Objects.requireNonNull(commitInterval, "commitInterval");
    }

    InFlightBudget newBudget() {
        return new InFlightBudget(inFlightLimit, inFlightBytesLimit);
    }
}
