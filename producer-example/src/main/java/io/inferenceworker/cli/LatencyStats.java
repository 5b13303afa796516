package io.inferenceworker.cli;

import java.util.Arrays;
import java.util.Collection;

/**
 * Percentiles of a set of latencies in milliseconds, by the nearest-rank method (p99 of 100 values is the 99th
 * smallest). Immutable.
 */
final class LatencyStats {
    private final long[] sorted;

    LatencyStats(Collection<Long> millis) {
        this.sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    int count() {
        return sorted.length;
    }

    /**
     * @param percent 0 < percent <= 100
     * @throws IllegalStateException when there are no values
     */
    long percentile(double percent) {
        if (sorted.length == 0) {
            throw new IllegalStateException("no latencies");
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    long max() {
        return percentile(100);
    }

    @Override
    public String toString() {
        return sorted.length == 0 ? "no latencies" : "p50 " + percentile(50) + " ms, p90 " + percentile(90)
                + " ms, p99 " + percentile(99) + " ms, max " + max() + " ms (" + sorted.length + " jobs; "
                + Arrays.stream(sorted).min().orElse(0) + " ms min)";
    }
}
