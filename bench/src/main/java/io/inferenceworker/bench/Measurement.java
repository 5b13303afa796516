package io.inferenceworker.bench;

import java.nio.file.Path;
import java.util.Map;

/**
 * What one run of one scenario measured, for one contender. Missing figures are -1 (or NaN).
 *
 * @param who          {@code worker}, {@code baseline} or {@code parallel-consumer}
 * @param scenario     the scenario
 * @param sent         requests produced
 * @param completed    distinct jobs with a result when the run ended
 * @param jobsPerSecond sustained rate: results from the warm-up mark (10% of them) to the last, over that time
 * @param cpuMsPerJob  the process's CPU time (user + system) over the same window, per job
 * @param stackCpuMsPerJob the benchmark JVM's CPU time (broker, registry, simulator, load generator, result reader)
 *                     over the same window, per job: what the rest of the host spent on each job
 * @param peakHeapBytes highest heap in use seen (-1 when not sampled)
 * @param peakLiveBytes highest old-generation live size after a GC (-1 when not sampled)
 * @param peakInFlight highest {@code inference_jobs_in_flight} seen (-1 when not sampled)
 * @param overhead     end-to-end latency minus the simulator's, for paced runs (null otherwise)
 * @param statuses     results by status
 * @param duplicates   results beyond the first per job
 * @param jfr          the flight recording, or null
 * @param figures      from the contender's start to its last result, and its steady middle; peak RSS
 * @param note         anything that makes the figure partial (time-boxed run, timeout), or empty
 */
record Measurement(String who, Scenario scenario, int sent, int completed, double jobsPerSecond, double cpuMsPerJob,
                   double stackCpuMsPerJob,
                   long peakHeapBytes, long peakLiveBytes, long peakInFlight, Stats.Latency overhead,
                   Map<String, Integer> statuses, int duplicates, Path jfr, RunFigures figures,
                   String note) {

    int failed() {
        return statuses.entrySet().stream().filter(e -> !e.getKey().equals("SUCCEEDED"))
                .mapToInt(Map.Entry::getValue).sum();
    }
}
