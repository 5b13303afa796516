package io.inferenceworker.bench;

import java.util.Map;

/**
 * What explains the figures, per scenario id: flight-recording summaries, live heap by class, CPU by thread.
 *
 * @param profiles   JFR summaries of the profiled worker runs
 * @param histograms live heap by class with every job in flight (HEAP scenarios)
 * @param threadCpu  the worker's CPU by thread group (pre-produced scenarios)
 */
record Diagnostics(Map<String, JfrSummary> profiles, Map<String, HeapHistogram> histograms,
                   Map<String, ScenarioRunner.CpuByThread> threadCpu) {
}
