package io.inferenceworker.bench;

import java.util.Arrays;

/** Rates and percentiles of a run's timestamps. Stateless. */
final class Stats {
    /**
     * Default share of the first results treated as JIT and pipeline warm-up, left out of rates and CPU per job
     * ({@code --warm-up-share}).
     */
    static final double WARM_UP_SHARE = 0.10;
    /** The steady middle of a run against Parallel Consumer: its results from the 10 % to the 90 % mark. */
    static final double STEADY_FROM = 0.10;
    static final double STEADY_TO = 0.90;

    private Stats() {
    }

    /**
     * A sustained rate over sorted result timestamps, from the warm-up mark ({@code warmUpShare} of them) to the last
     * result.
     *
     * @param fromMillis  timestamp of the first result counted
     * @param toMillis    timestamp of the last
     * @param jobs        results in between, the first excluded (intervals)
     */
    record Rate(long fromMillis, long toMillis, int jobs) {
        double perSecond() {
            return toMillis > fromMillis ? jobs * 1000.0 / (toMillis - fromMillis) : Double.NaN;
        }
    }

    static Rate sustained(long[] sortedTimestamps, double warmUpShare) {
        int n = sortedTimestamps.length;
        if (n < 2) {
            return new Rate(0, 0, 0);
        }
        int from = Math.min(n - 2, (int) (n * warmUpShare));
        return new Rate(sortedTimestamps[from], sortedTimestamps[n - 1], n - 1 - from);
    }

    /**
     * The rate between the {@code fromShare} and {@code toShare} marks of sorted result timestamps: leaves out the
     * warm-up at the start and the tail at the end (the last partitions' stragglers, with little left in flight).
     */
    static Rate between(long[] sortedTimestamps, double fromShare, double toShare) {
        int n = sortedTimestamps.length;
        if (n < 2) {
            return new Rate(0, 0, 0);
        }
        int from = Math.min(n - 2, (int) (n * fromShare));
        int to = Math.max(from + 1, Math.min(n - 1, (int) Math.ceil(n * toShare) - 1));
        return new Rate(sortedTimestamps[from], sortedTimestamps[to], to - from);
    }

    /** Percentiles of a latency distribution in ms. */
    record Latency(double ratePerSecond, int samples, long p50, long p90, long p99, long p999, long max) {
    }

    static Latency latency(double ratePerSecond, long[] millis) {
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        return new Latency(ratePerSecond, sorted.length, percentile(sorted, 50), percentile(sorted, 90),
                percentile(sorted, 99), percentile(sorted, 99.9), sorted.length == 0 ? -1 : sorted[sorted.length - 1]);
    }

    /** Nearest-rank percentile of sorted values; -1 when empty. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
