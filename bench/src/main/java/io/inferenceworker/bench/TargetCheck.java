package io.inferenceworker.bench;

import static io.inferenceworker.bench.Markdown.f;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A target of the issue, checked against a run's measurements.
 *
 * @param target   the target as stated
 * @param measured what was measured, in words
 * @param hit      whether it was met ({@code null}: not measured in this run)
 * @param context  figures that say what bounds the result
 */
record TargetCheck(String target, String measured, Boolean hit, String context) {

    static List<TargetCheck> evaluate(List<Measurement> all, int cpus, Map<String, HeapHistogram> histograms) {
        List<TargetCheck> checks = new ArrayList<>();
        checks.add(find(all, "worker", Scenarios.TARGET_PEAK).map(m -> new TargetCheck(Scenarios.TARGET_PEAK,
                        f("%,.0f jobs/s", m.jobsPerSecond()), m.jobsPerSecond() >= 5000 && m.failed() == 0,
                        cores(m, cpus)))
                .orElse(notRun(Scenarios.TARGET_PEAK)));
        checks.add(find(all, "worker", Scenarios.TARGET_CEILING).map(m -> new TargetCheck(Scenarios.TARGET_CEILING,
                        f("%,.0f jobs/s = %.1f%% of %,.0f", m.jobsPerSecond(),
                                100 * m.jobsPerSecond() / m.scenario().ceiling(), m.scenario().ceiling()),
                        m.jobsPerSecond() >= 0.9 * m.scenario().ceiling() && m.failed() == 0,
                        cores(m, cpus) + f("; peak in flight %,d", m.peakInFlight())))
                .orElse(notRun(Scenarios.TARGET_CEILING)));
        checks.add(find(all, "worker", Scenarios.TARGET_OVERHEAD).map(m -> new TargetCheck(Scenarios.TARGET_OVERHEAD,
                        f("p99 %d ms (p50 %d, p99.9 %d) at %,.0f jobs/s", m.overhead().p99(), m.overhead().p50(),
                                m.overhead().p999(), m.overhead().ratePerSecond()),
                        m.overhead().p99() <= 20 && m.failed() == 0 && m.note().isEmpty(),
                        f("worker CPU %.3f ms/job ≈ %.2f cores, stack %.3f ms/job ≈ %.2f cores, of %d, at that "
                                + "rate",
                                m.cpuMsPerJob(), m.cpuMsPerJob() * m.overhead().ratePerSecond() / 1000,
                                m.stackCpuMsPerJob(), m.stackCpuMsPerJob() * m.overhead().ratePerSecond() / 1000,
                                cpus)))
                .orElse(notRun(Scenarios.TARGET_OVERHEAD)));
        checks.add(find(all, "worker", Scenarios.TARGET_HEAP).map(m -> heap(m, all, histograms))
                .orElse(notRun(Scenarios.TARGET_HEAP)));
        return checks;
    }

    /**
     * Hit when the live heap with every job in flight (class histogram after a full GC, in the 1 GB run) is at most
     * 512 MB and, when it ran, the run in a 512 MB heap completed every job.
     */
    private static TargetCheck heap(Measurement m, List<Measurement> all, Map<String, HeapHistogram> histograms) {
        HeapHistogram h = histograms.get(m.scenario().id());
        Optional<Measurement> small = worker(all, Scenarios.HEAP_512M_ID);
        String measured = f("live heap with %,d in flight: %s (-Xmx%s run); peak in use %s",
                m.peakInFlight(), h == null ? "not measured" : Report.mb(h.totalBytes()),
                m.scenario().load().workerXmx(),
                Report.mb(m.peakHeapBytes()))
                + small.map(x -> f("; -Xmx512m run: %,d of %,d results, peak in flight %,d, peak in use %s",
                        x.completed(), x.sent(), x.peakInFlight(), Report.mb(x.peakHeapBytes()))).orElse("")
                + worker(all, Scenarios.HEAP_BUDGET_ID).map(x -> f("; -Xmx512m with the default byte budget: %,d of "
                        + "%,d results, peak in flight %,d, peak in use %s", x.completed(), x.sent(), x.peakInFlight(),
                        Report.mb(x.peakHeapBytes()))).orElse("");
        boolean hit = h != null && h.totalBytes() <= 512L * 1024 * 1024 && m.failed() == 0
                && m.completed() == m.sent() && m.peakInFlight() >= 9_000
                && small.map(x -> x.completed() == x.sent() && x.failed() == 0).orElse(true);
        String context = f("in-flight limit 10,000, provider max-concurrency 10,000, simulator latency %d s so every "
                + "job is in flight at once", m.scenario().latency().toSeconds())
                + (h == null || h.top().isEmpty() ? "" : f("; largest: %s %s", h.top().getFirst().className(),
                Report.mb(h.top().getFirst().bytes())));
        return new TargetCheck(Scenarios.TARGET_HEAP, measured, hit, context);
    }

    private static Optional<Measurement> worker(List<Measurement> all, String scenarioId) {
        return all.stream().filter(x -> x.who().equals("worker") && x.scenario().id().equals(scenarioId)).findFirst();
    }

    private static Optional<Measurement> find(List<Measurement> all, String who, String target) {
        return all.stream().filter(m -> m.who().equals(who) && m.scenario().target().equals(target)).findFirst();
    }

    private static TargetCheck notRun(String target) {
        return new TargetCheck(target, "not run", null, "");
    }

    private static String cores(Measurement m, int cpus) {
        return f("worker CPU %.3f ms/job × %,.0f jobs/s ≈ %.2f cores; broker + simulator + load generator %.3f "
                        + "ms/job ≈ %.2f cores; of %d", m.cpuMsPerJob(), m.jobsPerSecond(),
                m.cpuMsPerJob() * m.jobsPerSecond() / 1000, m.stackCpuMsPerJob(),
                m.stackCpuMsPerJob() * m.jobsPerSecond() / 1000, cpus);
    }
}
