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
 */
record RunFigures(long startedAtMillis, long lastResultMillis, int jobs, long cpuMsAtEnd, Stats.Rate steady,
                  long steadyCpuMs, long peakRssBytes) {

    /** Figures of a run whose probe sampled the contender and whose results have these sorted timestamps. */
    static RunFigures of(long startedAtMillis, long[] sortedTimestamps, ProcessProbe probe) {
        int n = sortedTimestamps.length;
        long last = n == 0 ? 0 : sortedTimestamps[n - 1];
        Stats.Rate steady = Stats.between(sortedTimestamps, Stats.STEADY_FROM, Stats.STEADY_TO);
        long atEnd = n == 0 ? -1 : probe.cpuMillisAt(last);
        long from = probe.cpuMillisAt(steady.fromMillis());
        long to = probe.cpuMillisAt(steady.toMillis());
        long steadyCpu = steady.jobs() <= 0 || from < 0 || to < 0 ? -1 : to - from;
        return new RunFigures(startedAtMillis, last, n, atEnd, steady, steadyCpu, probe.peakRssBytes());
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
