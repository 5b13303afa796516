package io.inferenceworker.intake;

import java.time.Duration;
import java.util.Objects;

/**
 * Concurrency and commit cadence of an intake.
 *
 * @param inFlightLimit  jobs running at once per worker, whatever the partitions
 * @param commitInterval how often completed offsets are committed
 */
public record IntakeLimits(int inFlightLimit, Duration commitInterval) {
    public IntakeLimits {
        if (inFlightLimit < 1) {
            throw new IllegalArgumentException("in-flight limit must be >= 1");
        }
        Objects.requireNonNull(commitInterval, "commitInterval");
    }
}
