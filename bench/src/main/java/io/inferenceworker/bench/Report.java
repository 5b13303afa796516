package io.inferenceworker.bench;

import static io.inferenceworker.bench.Markdown.f;
import static io.inferenceworker.bench.Markdown.num;
import static io.inferenceworker.bench.Markdown.row;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code results.md}: machine, method, throughput table, the comparison with Parallel Consumer
 * ({@link PeerComparison}), overhead, heap, targets and flight-recording summaries. Not thread-safe; one report per
 * run.
 *
 * @param machine      where the run came from
 * @param command      the command line that produced it
 * @param loadBefore   load average before the run
 * @param loadAfter    load average after it
 * @param measurements every measurement, worker and baseline
 * @param baselines    the baseline measurement for each worker scenario id (shared by equal baseline keys)
 * @param diagnostics  JFR summaries, heap histograms and CPU by thread, per scenario id
 * @param targets      the targets checked
 */
record Report(MachineInfo machine, String command, String loadBefore, String loadAfter, List<Measurement> measurements,
              Map<String, Measurement> baselines, Diagnostics diagnostics, List<TargetCheck> targets) {

    private static final int TOP_THREAD_GROUPS = 14;

    void write(Path file) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# inference-worker benchmark\n\n")
                .append("Generated ").append(ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME))
                .append(" by\n\n```bash\n").append(command).append("\n```\n\n");
        machine(md);
        method(md);
        throughput(md);
        PeerComparison.write(md, measurements);
        overhead(md);
        heap(md);
        targets(md);
        threadCpu(md);
        profiles(md);
        md.append("## Charts\n\n![jobs/s per scenario](throughput.png)\n\n![overhead](overhead.png)\n");
        Files.writeString(file, md);
    }

    private void machine(StringBuilder md) {
        md.append("## Machine\n\n| CPUs (nproc) | memory | CPU | OS | JDK | load avg before | load avg after |\n")
                .append("|---|---|---|---|---|---|---|\n")
                .append(row(machine.cpus(), machine.memory(), machine.cpuModel(), machine.os(), machine.jdk(),
                        loadBefore, loadAfter))
                .append("\nEverything runs on this one host: the embedded Kafka broker, schema registry, provider ")
                .append("simulator and load generator share one JVM; the worker and the baseline each run in a JVM ")
                .append("of their own (worker `-Xmx1g -XX:+UseG1GC` unless a scenario says otherwise, default ")
                .append("configuration otherwise, incl. its INFO log line per job). Other load on the host distorts ")
                .append("the figures: compare the load averages above with the CPU count.\n\n");
    }

    private static void method(StringBuilder md) {
        md.append("## Method\n\n")
                .append("- **jobs/s**: N requests are pre-produced, then the contender starts; the rate is counted ")
                .append("from the result at the ").append((int) (Stats.WARM_UP_SHARE * 100))
                .append("% mark (JIT and pipeline warm-up) to the last result, by result record timestamps. ")
                .append("**Steady-state** scenarios (the targets `latency-0ms` and `target-1s-1p-4096`) run ")
                .append(String.format(java.util.Locale.ROOT, "%,d", Scenarios.STEADY_JOBS))
                .append(" jobs and leave out the first half: on 2 cores a fresh worker's JIT compiler keeps about one ")
                .append("core busy for its first ~90 s, so short runs measure the warm-up (compare their CPU by ")
                .append("thread below). `--warm-up-share` in the command above overrides both.\n")
                .append("- **CPU ms/job**: the contender's user + system CPU time (`/proc/<pid>/stat`) over that ")
                .append("same window, per job: its cost per job. **Stack CPU ms/job**: the same for the benchmark's ")
                .append("own JVM (broker, schema registry, simulator, load generator, result reader) while that ")
                .append("contender ran: what the rest of the 2-core host spends per job. ")
                .append("**Peak heap / in flight**: `/prometheus` sampled ")
                .append("every ").append(ProcessProbe.PERIOD_MS * ProcessProbe.SCRAPE_EVERY)
                .append(" ms (`jvm_memory_used_bytes{area=\"heap\"}`")
                .append(", `jvm_gc_live_data_size_bytes`, `inference_jobs_in_flight`). **RSS**: the process's peak ")
                .append("resident set size, `VmHWM` of `/proc/<pid>/status`.\n")
                .append("- **Overhead**: a paced load at half of the peak (the highest steady-state rate measured, ")
                .append("else the base's), produced while the contender runs, after a full-speed pre-warm as long as ")
                .append("a steady-state warm-up and a paced warm-up; end-to-end = result record timestamp − request ")
                .append("record timestamp; overhead = end-to-end − the simulator's latency; the warm-ups' jobs are ")
                .append("left out.\n")
                .append("- **Baseline**: one consumer thread per partition in one group, `max.poll.records=1`, a ")
                .append("synchronous JDK `HttpClient` call (OpenAI JSON), the result produced and acknowledged, ")
                .append("then `commitSync`, per record. It is time-boxed (it would take hours at 1 s latency), ")
                .append("not streaming, and independent of the in-flight limit: scenarios with the same latency, ")
                .append("partitions and prompt size share one baseline run.\n")
                .append("- **Stack warm-up**: before the first scenario, 30,000 jobs at 0 ms go through a worker ")
                .append("whose figures are not kept, so that no scenario pays for the stack's own JIT warm-up ")
                .append("(`--quick` and `--no-stack-warm-up` skip it unless the run trains an AOT cache).\n")
                .append("- **How the worker starts**: as the container image starts it, `java -XX:AOTCache=worker.aot ")
                .append("-jar inference-worker.jar`, with a JDK 25 AOT cache that the stack warm-up's worker trained ")
                .append("(`-XX:AOTCacheOutput`), as the image build trains its own; scenarios marked \"class path\" ")
                .append("or \"jar\" start it without a cache.\n\n");
    }

    private void throughput(StringBuilder md) {
        md.append("## Throughput and cost per job\n\n")
                .append("| scenario | varies | latency | partitions | in-flight | prompt | stream | ceiling jobs/s ")
                .append("| worker jobs/s | baseline jobs/s | worker ÷ baseline | worker CPU ms/job ")
                .append("| baseline CPU ms/job | stack CPU ms/job | worker peak heap (live) · RSS | peak in flight ")
                .append("| jobs | notes |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Measurement m : workerRuns(Scenario.Kind.THROUGHPUT, Scenario.Kind.HEAP)) {
            Scenario s = m.scenario();
            Measurement b = baselines.get(s.id());
            double ratio = b == null ? Double.NaN : m.jobsPerSecond() / b.jobsPerSecond();
            md.append(row(s.id(), s.varies(), s.latency().toMillis() + " ms", s.partitions(), s.inFlightLimit(),
                    bytes(s.promptBytes()), s.stream() ? "on" : "off", num(s.ceiling(), "%,.0f"),
                    num(m.jobsPerSecond(), "%,.0f"), b == null ? "—" : num(b.jobsPerSecond(), "%,.1f"),
                    num(ratio, "%,.0f×"), num(m.cpuMsPerJob(), "%.3f"),
                    b == null ? "—" : num(b.cpuMsPerJob(), "%.3f"), num(m.stackCpuMsPerJob(), "%.3f"),
                    mb(m.peakHeapBytes()) + " (" + mb(m.peakLiveBytes()) + ") · " + mb(m.figures().peakRssBytes()),
                    m.peakInFlight(),
                    f("%,d", m.completed()), notes(m, b)));
        }
        md.append('\n');
    }

    private void overhead(StringBuilder md) {
        List<Measurement> paced = measurements.stream().filter(m -> m.overhead() != null).toList();
        if (paced.isEmpty()) {
            return;
        }
        md.append("## Latency overhead at half of peak load\n\n")
                .append("| contender | scenario | rate jobs/s | jobs measured | p50 ms | p90 ms | p99 ms | p99.9 ms ")
                .append("| max ms | CPU ms/job | stack CPU ms/job | notes |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Measurement m : paced) {
            Stats.Latency l = m.overhead();
            md.append(row(m.who(), m.scenario().varies() + ", " + m.scenario().latency().toMillis() + " ms",
                    num(l.ratePerSecond(), "%,.0f"), f("%,d", l.samples()), l.p50(), l.p90(), l.p99(), l.p999(),
                    l.max(), num(m.cpuMsPerJob(), "%.3f"), num(m.stackCpuMsPerJob(), "%.3f"), notes(m, null)));
        }
        md.append('\n');
    }

    private void heap(StringBuilder md) {
        List<Measurement> runs = workerRuns(Scenario.Kind.HEAP);
        if (runs.isEmpty()) {
            return;
        }
        md.append("## Heap with 10,000 jobs of 8 KB in flight\n\n")
                .append("10,000 requests with 8 KB prompts pre-produced; `worker.in-flight-limit=10000`, provider ")
                .append("`max-concurrency=10000`, simulator latency ").append(Scenarios.HEAP_LATENCY.toSeconds())
                .append(" s, so that all of them are in flight at once. The live heap is the largest of the class ")
                .append("histograms (`jcmd GC.class_histogram`, each after a full GC) taken every second while ")
                .append("≥ 95% of them were in flight and none had a result yet.\n\n")
                .append("| run | worker heap | peak in flight | peak heap in use | live heap, all in flight ")
                .append("| results | notes |\n|---|---|---|---|---|---|---|\n");
        for (Measurement m : runs) {
            HeapHistogram h = diagnostics.histograms().get(m.scenario().id());
            md.append(row(m.scenario().id(), "-Xmx" + m.scenario().load().workerXmx(), f("%,d", m.peakInFlight()),
                    mb(m.peakHeapBytes()), h == null ? "—" : mb(h.totalBytes()),
                    f("%,d of %,d", m.completed(), m.sent()), notes(m, null)));
        }
        diagnostics.histograms().forEach((id, h) -> {
            md.append(f("%n%s: the largest classes of %s live (%,d objects)%n%n", id, mb(h.totalBytes()),
                            h.totalInstances()))
                    .append("| class | instances | bytes | share |\n|---|---|---|---|\n");
            h.top().forEach(e -> md.append(row("`" + e.className() + "`", f("%,d", e.instances()), mb(e.bytes()),
                    pct(e.bytes(), h.totalBytes()))));
        });
        md.append('\n');
    }

    private void targets(StringBuilder md) {
        md.append("## Targets\n\n| target | measured | result | what bounds it |\n|---|---|---|---|\n");
        for (TargetCheck t : targets) {
            md.append(row(t.target(), t.measured(), t.hit() == null ? "not run" : t.hit() ? "**hit**" : "**missed**",
                    t.context()));
        }
        md.append('\n');
    }

    private void profiles(StringBuilder md) {
        if (diagnostics.profiles().isEmpty()) {
            return;
        }
        Map<String, JfrSummary> profiles = diagnostics.profiles();
        md.append("## Where the worker's CPU goes (JFR, `settings=profile`)\n\n");
        profiles.forEach((id, p) -> {
            md.append("### ").append(id).append("\n\n")
                    .append(f("%,d execution samples; %d GCs, %,d ms paused in total; at most %s of heap in use "
                            + "right after a GC.\n\n", p.samples(), p.gcCount(), p.gcPause().toMillis(),
                            mb(p.maxHeapAfterGc())))
                    .append("| hottest methods (top frame) | share |\n|---|---|\n");
            p.topMethods().forEach((method, n) -> md.append(row("`" + method + "`", pct(n, p.samples()))));
            md.append("\n| library | self: innermost listed frame | inclusive: any frame |\n|---|---|---|\n");
            p.selfByLibrary().forEach((lib, n) -> md.append(row("`" + lib + "`", pct(n, p.samples()),
                    p.libraries().containsKey(lib) ? pct(p.libraries().get(lib), p.samples()) : "—")));
            md.append('\n');
        });
    }

    /** One table: CPU ms per job by thread group (rows) and scenario (columns). */
    private void threadCpu(StringBuilder md) {
        Map<String, ScenarioRunner.CpuByThread> runs = diagnostics.threadCpu();
        if (runs.isEmpty()) {
            return;
        }
        Map<String, Long> totals = new java.util.HashMap<>();
        runs.values().forEach(r -> r.msByGroup().forEach((g, ms) -> totals.merge(g, ms, Long::sum)));
        List<String> groups = totals.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(TOP_THREAD_GROUPS)
                .map(Map.Entry::getKey).toList();
        md.append("## Worker CPU by thread (ms per job)\n\n")
                .append("From `/proc/<pid>/task/*/stat`, from the warm-up mark to the last result: JIT compiler, GC ")
                .append("and VM threads included, which a Java profiler does not see. Virtual threads (the jobs) ")
                .append("run on the `ForkJoinPool-N-worker-N` carriers. Names are cut at 15 characters by Linux.\n\n")
                .append("| thread group |");
        runs.keySet().forEach(id -> md.append(' ').append(id).append(" |"));
        md.append("\n|---|").append("---|".repeat(runs.size())).append('\n');
        for (String g : groups) {
            md.append("| `").append(g).append("` |");
            runs.values().forEach(r -> md.append(' ').append(perJob(r.msByGroup().getOrDefault(g, 0L), r.jobs()))
                    .append(" |"));
            md.append('\n');
        }
        md.append("| **all threads** |");
        runs.values().forEach(r -> md.append(" **").append(perJob(
                r.msByGroup().values().stream().mapToLong(Long::longValue).sum(), r.jobs())).append("** |"));
        md.append("\n\n");
    }

    private static String perJob(long ms, int jobs) {
        return jobs <= 0 ? "—" : f("%.3f", (double) ms / jobs);
    }

    private List<Measurement> workerRuns(Scenario.Kind... kinds) {
        List<Scenario.Kind> wanted = List.of(kinds);
        return measurements.stream().filter(m -> m.who().equals("worker") && wanted.contains(m.scenario().kind()))
                .toList();
    }

    private static String notes(Measurement m, Measurement baseline) {
        StringBuilder n = new StringBuilder();
        if (m.failed() > 0) {
            n.append("statuses ").append(m.statuses()).append("; ");
        }
        if (m.duplicates() > 0) {
            n.append(m.duplicates()).append(" duplicates; ");
        }
        if (!m.note().isEmpty()) {
            n.append(m.note()).append("; ");
        }
        if (baseline != null && !baseline.note().isEmpty()) {
            n.append("baseline ").append(baseline.note()).append("; ");
        }
        return n.isEmpty() ? "" : n.substring(0, n.length() - 2);
    }

    /** Megabytes, or "—" when not measured (G1 reports a live size of 0 until a concurrent cycle ran). */
    static String mb(long bytes) {
        return bytes <= 0 ? "—" : f("%,d MB", bytes / (1024 * 1024));
    }

    private static String bytes(int n) {
        return n >= 1024 ? n / 1024 + " KB" : n + " B";
    }

    private static String pct(long n, long total) {
        return total == 0 ? "—" : f("%.1f%%", 100.0 * n / total);
    }
}
