package io.inferenceworker.bench;

/**
 * A contender's figures over its whole run, from the moment its JVM was forked (start-up, JIT warm-up and all) to its
 * last result, and over the steady middle of the run ({@link Stats#STEADY_FROM} to {@link Stats#STEADY_TO} of its
 * results, by result timestamps). What the comparison with Parallel Consumer reports. Immutable.
 *
 * @param startedAtMillis   wall clock when the contender was forked
 * @param lastResultMillis  timestamp of its last result (0 without results)
 * @param jobs              distinct results
 * @param cpuMsAtEnd        its CPU time (user + system) from its start to its last result, -1 when unknown
 * @param steady            the steady window
 * @param steadyCpuMs       its CPU time in the steady window, -1 when unknown
 * @param peakRssBytes      its peak resident set size ({@code VmHWM}), -1 when unknown
 * @param warmMillis        from the fork to the start of the first {@value #WARM_WINDOW_MILLIS} ms window in which it
 *                          delivered at least {@value #WARM_SHARE} of its steady rate, -1 when it never did
 */
record RunFigures(long startedAtMillis, long lastResultMillis, int jobs, long cpuMsAtEnd, Stats.Rate steady,
                  long steadyCpuMs, long peakRssBytes, long warmMillis) {
    /** The window "at speed" is judged over: long enough that one poll's batch does not look like speed. */
    static final long WARM_WINDOW_MILLIS = 2_000;
    /** The share of the steady rate that counts as at speed (issue 15: "process start to 90 % of steady"). */
    static final double WARM_SHARE = 0.9;

    /** Figures of a run whose probe sampled the contender and whose results have these sorted timestamps. */
    static RunFigures of(long startedAtMillis, long[] sortedTimestamps, ProcessProbe probe) {
        int n = sortedTimestamps.length;
        long last = n == 0 ? 0 : sortedTimestamps[n - 1];
        Stats.Rate steady = Stats.between(sortedTimestamps, Stats.STEADY_FROM, Stats.STEADY_TO);
        long atEnd = n == 0 ? -1 : probe.cpuMillisAt(last);
        long from = probe.cpuMillisAt(steady.fromMillis());
        long to = probe.cpuMillisAt(steady.toMillis());
        long steadyCpu = steady.jobs() <= 0 || from < 0 || to < 0 ? -1 : to - from;
        return new RunFigures(startedAtMillis, last, n, atEnd, steady, steadyCpu, probe.peakRssBytes(),
                warm(startedAtMillis, sortedTimestamps, steady.perSecond()));
    }

    /** See {@code warmMillis}: a window slid over the results, opening at each result in turn. */
    static long warm(long startedAtMillis, long[] sortedTimestamps, double steadyPerSecond) {
        if (!(steadyPerSecond > 0)) {
            return -1;
        }
        double needed = WARM_SHARE * steadyPerSecond * WARM_WINDOW_MILLIS / 1000.0;
        int n = sortedTimestamps.length;
        for (int first = 0, last = 0; first < n; first++) {
            long windowEnd = sortedTimestamps[first] + WARM_WINDOW_MILLIS;
            if (windowEnd > sortedTimestamps[n - 1]) {
                return -1; // no whole window left: the run ended before it was at speed
            }
            while (last < n && sortedTimestamps[last] < windowEnd) {
                last++;
            }
            if (last - first >= needed) {
                return Math.max(0, sortedTimestamps[first] - startedAtMillis);
            }
        }
        return -1;
    }

    /** From the fork to at speed, in seconds (NaN when it never was). */
    double warmSeconds() {
        return warmMillis < 0 ? Double.NaN : warmMillis / 1000.0;
    }

    /** From the fork to the last result, in seconds (NaN without results). */
    double seconds() {
        return jobs == 0 || lastResultMillis <= startedAtMillis ? Double.NaN
                : (lastResultMillis - startedAtMillis) / 1000.0;
    }

    /** Jobs ÷ time from the fork to the last result. */
    double wholeJobsPerSecond() {
        return jobs / seconds();
    }

    /** All its CPU from its start to its last result, per job. */
    double wholeCpuMsPerJob() {
        return cpuMsAtEnd < 0 || jobs == 0 ? Double.NaN : (double) cpuMsAtEnd / jobs;
    }

    double steadyJobsPerSecond() {
        return steady.perSecond();
    }

    double steadyCpuMsPerJob() {
        return steadyCpuMs < 0 ? Double.NaN : (double) steadyCpuMs / steady.jobs();
    }
}
