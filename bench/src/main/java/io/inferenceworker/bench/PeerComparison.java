package io.inferenceworker.bench;

import static io.inferenceworker.bench.Markdown.f;
import static io.inferenceworker.bench.Markdown.num;
import static io.inferenceworker.bench.Markdown.row;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The worker against Confluent's Parallel Consumer (issue 15): per scenario that ran both, each one's figures over its
 * whole run and its steady middle, and the ratios worker ÷ Parallel Consumer. Writes the {@code results.md} table
 * and the console lines. Stateless.
 */
final class PeerComparison {
    static final String PEER = ScenarioRunner.Contender.PARALLEL_CONSUMER.label();

    /** The two runs of one scenario. */
    record Pair(Measurement worker, Measurement peer) {
        Scenario scenario() {
            return worker.scenario();
        }

        RunFigures w() {
            return worker.figures();
        }

        RunFigures p() {
            return peer.figures();
        }
    }

    /** Whether a ratio worker ÷ Parallel Consumer is better when above 1 (rates) or when at most 1 (costs). */
    private enum Better { HIGHER, LOWER }

    private PeerComparison() {
    }

    /** Every scenario with both a worker run and a Parallel Consumer run, in run order. */
    static List<Pair> pairs(List<Measurement> measurements) {
        List<Pair> pairs = new ArrayList<>();
        for (Measurement m : measurements) {
            if (m.who().equals(PEER)) {
                worker(measurements, m.scenario().id()).ifPresent(w -> pairs.add(new Pair(w, m)));
            }
        }
        return pairs;
    }

    private static Optional<Measurement> worker(List<Measurement> measurements, String scenarioId) {
        return measurements.stream()
                .filter(m -> m.who().equals("worker") && m.scenario().id().equals(scenarioId)).findFirst();
    }

    /** The section "Against Parallel Consumer", or nothing when no scenario ran it. */
    static void write(StringBuilder md, List<Measurement> measurements) {
        List<Pair> pairs = pairs(measurements);
        if (pairs.isEmpty()) {
            return;
        }
        md.append("## Against Parallel Consumer\n\n")
                .append("Confluent Parallel Consumer 0.5.3.3 (`ParallelConsumerContender`): unordered, ")
                .append("`maxConcurrency` = the scenario's in-flight limit, commit mode ")
                .append("`PERIODIC_CONSUMER_ASYNCHRONOUS` (its default, at-least-once like the worker's results), a ")
                .append("blocking JDK `HttpClient` call per record (OpenAI JSON, the baseline's code), the result ")
                .append("produced with `pollAndProduce` (acks=all, idempotent, lz4). Both decode and encode with the ")
                .append("project's Avro serde (issue 15's own table ran Parallel Consumer without Avro). Each ")
                .append("contestant is a fresh JVM with the same heap flags, over the same number of pre-produced ")
                .append("jobs on fresh topics, the worker first, then Parallel Consumer, on the same stack. The ")
                .append("worker starts as the container image starts it, from its jar with the JDK 25 AOT cache ")
                .append("the image trains at build time (here trained by the run's stack warm-up), unless the ")
                .append("scenario says \"class path\" or \"jar\"; Parallel Consumer from its class path.\n\n")
                .append("**Warm-up.** *Whole run* counts from the fork of the contestant's JVM (JVM and framework ")
                .append("start-up, group join, JIT warm-up all included) to its last result: jobs ÷ that time, and ")
                .append("all its CPU (`/proc/<pid>/stat`) in that time ÷ jobs. *Steady* counts from the result at ")
                .append("the ").append(pct(Stats.STEADY_FROM)).append(" mark to the one at the ")
                .append(pct(Stats.STEADY_TO)).append(" mark, by result record timestamps, with the CPU over the ")
                .append("same window: it leaves out start-up and warm-up, and the tail where few partitions have ")
                .append("work left (in the steady-state scenarios the other tables count from the 50 % mark). ")
                .append("*To 90 % of steady*: from the fork to the first 2-s window with at least 90 % of the ")
                .append("contestant's own steady rate. ")
                .append("**Peak RSS**: `VmHWM` of `/proc/<pid>/status`. Ratios are worker ÷ Parallel Consumer: ")
                .append("ahead means more jobs/s, or less CPU per job or memory.\n\n")
                .append("| scenario | contestant | jobs | start to last result | to 90 % of steady | jobs/s whole run ")
                .append("| jobs/s steady | CPU ms/job whole run | CPU ms/job steady | peak RSS | notes |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Pair pair : pairs) {
            Scenario s = pair.scenario();
            String id = s.id() + " (" + s.latency().toMillis() + " ms)";
            md.append(contestant(id, "worker", pair.worker()))
                    .append(contestant(id, "Parallel Consumer", pair.peer()))
                    .append(row(id, "**worker ÷ PC**", "", "",
                            ratio(pair.w().warmSeconds(), pair.p().warmSeconds(), Better.LOWER),
                            ratio(pair.w().wholeJobsPerSecond(), pair.p().wholeJobsPerSecond(), Better.HIGHER),
                            ratio(pair.w().steadyJobsPerSecond(), pair.p().steadyJobsPerSecond(), Better.HIGHER),
                            ratio(pair.w().wholeCpuMsPerJob(), pair.p().wholeCpuMsPerJob(), Better.LOWER),
                            ratio(pair.w().steadyCpuMsPerJob(), pair.p().steadyCpuMsPerJob(), Better.LOWER),
                            ratio(pair.w().peakRssBytes(), pair.p().peakRssBytes(), Better.LOWER), ""));
        }
        md.append('\n');
    }

    private static String contestant(String id, String name, Measurement m) {
        RunFigures f = m.figures();
        String notes = (m.failed() > 0 ? "statuses " + m.statuses() + "; " : "")
                + (m.duplicates() > 0 ? m.duplicates() + " duplicates; " : "") + m.note();
        return row(id, name, f("%,d of %,d", m.completed(), m.sent()), num(f.seconds(), "%.1f s"),
                num(f.warmSeconds(), "%.1f s"),
                num(f.wholeJobsPerSecond(), "%,.0f"), num(f.steadyJobsPerSecond(), "%,.0f"),
                num(f.wholeCpuMsPerJob(), "%.3f"), num(f.steadyCpuMsPerJob(), "%.3f"), Report.mb(f.peakRssBytes()),
                notes.endsWith("; ") ? notes.substring(0, notes.length() - 2) : notes);
    }

    /** The console line of one scenario: the ratios, marked. */
    static String consoleLine(Pair pair) {
        RunFigures w = pair.w();
        RunFigures p = pair.p();
        return f("%-18s worker ÷ Parallel Consumer: jobs/s %s (steady %s), CPU/job %s (steady %s), peak RSS %s, "
                        + "to 90%% of steady %s (worker %.1f s); PC %.1f s from start, %,.0f jobs/s whole run, "
                        + "%,.0f steady, %.3f CPU ms/job, RSS %s %s",
                pair.scenario().id(),
                ratio(w.wholeJobsPerSecond(), p.wholeJobsPerSecond(), Better.HIGHER),
                ratio(w.steadyJobsPerSecond(), p.steadyJobsPerSecond(), Better.HIGHER),
                ratio(w.wholeCpuMsPerJob(), p.wholeCpuMsPerJob(), Better.LOWER),
                ratio(w.steadyCpuMsPerJob(), p.steadyCpuMsPerJob(), Better.LOWER),
                ratio(w.peakRssBytes(), p.peakRssBytes(), Better.LOWER),
                ratio(w.warmSeconds(), p.warmSeconds(), Better.LOWER), w.warmSeconds(),
                p.seconds(), p.wholeJobsPerSecond(), p.steadyJobsPerSecond(), p.wholeCpuMsPerJob(),
                Report.mb(p.peakRssBytes()), pair.peer().note()).strip();
    }

    private static String ratio(double worker, double peer, Better better) {
        if (!(worker > 0) || !(peer > 0) || Double.isInfinite(worker) || Double.isInfinite(peer)) {
            return "—";
        }
        double r = worker / peer;
        boolean ahead = better == Better.HIGHER ? r > 1 : r <= 1;
        return f("%.2f× %s", r, ahead ? "ahead" : "behind");
    }

    private static String pct(double share) {
        return f("%.0f %%", share * 100);
    }
}
