package io.inferenceworker.bench;

import io.inferenceworker.testkit.JvmForks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark command. Starts the embedded stack, runs every scenario against the worker and the baseline (each
 * forked), and writes {@code results.md}, {@code throughput.png} and {@code overhead.png}. See
 * {@code bench/README.md}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures the worker's jobs/s, latency overhead, CPU per job and heap against a synchronous "
                + "baseline consumer and Confluent Parallel Consumer, on an embedded broker and provider simulator.")
public final class Bench implements Callable<Integer> {
    @Option(names = "--quick", description = "a smoke run of a few minutes: fewer scenarios, fewer jobs")
    boolean quick;

    @Option(names = "--scenarios", split = ",", paramLabel = "ID",
            description = "run only these scenario ids (the overhead scenario needs 'base' for its rate)")
    Set<String> only;

    @Option(names = "--no-baseline", description = "skip the baseline consumer")
    boolean noBaseline;

    @Option(names = "--no-parallel-consumer",
            description = "skip Confluent Parallel Consumer in the scenarios that compare with it")
    boolean noParallelConsumer;

    @Option(names = "--no-jfr", description = "do not record the worker with JFR in the target scenarios")
    boolean noJfr;

    @Option(names = "--no-stack-warm-up",
            description = "measure the first scenario on a cold stack (skipped anyway with --quick)")
    boolean noStackWarmUp;

    @Option(names = "--overhead-rate", paramLabel = "JOBS/S",
            description = "paced rate of the overhead scenario; default half of the peak: the highest steady-state jobs/s "
                    + "of the run, else the base scenario's")
    Double overheadRate;

    @Option(names = "--jobs", paramLabel = "N",
            description = "requests per throughput scenario instead of the planned and host-sized counts")
    Integer jobs;

    @Option(names = "--warm-up-share", paramLabel = "SHARE",
            description = "share of a throughput run's first results left out as warm-up instead of the scenario's "
                    + "(0.1; 0.5 in the steady-state scenarios); with --jobs, e.g. 0.5 of 200000")
    Double warmUpShare;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder; default bench/results")
    Path out;

    @Option(names = "--worker-property", paramLabel = "KEY=VALUE",
            description = "extra worker configuration, e.g. votes.enabled=false (repeatable; for experiments)")
    Map<String, String> workerProperties = new LinkedHashMap<>();

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        simulatorServerSettings();
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    /**
     * Settings of the JDK {@code HttpServer} that the provider simulator (and the schema registry) run on, read once
     * when its first server is created, so set before the stack starts (unless given with {@code -D}). With its
     * defaults it keeps at most 200 idle keep-alive connections and closes every other one after its response: with
     * 1,024+ calls in flight nearly every call would open a new TCP connection, and the benchmark would measure
     * connection set-up (and TIME_WAIT) rather than the worker. A real provider keeps them; so does the simulator
     * here. It also leaves Nagle's algorithm on, which can hold a response's last segment back for a delayed ACK.
     */
    static void simulatorServerSettings() {
        setIfAbsent("sun.net.httpserver.maxIdleConnections", "20000");
        setIfAbsent("sun.net.httpserver.nodelay", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    @Override
    public Integer call() throws Exception {
        if ((warmUpShare != null && (warmUpShare < 0 || warmUpShare >= 1)) || (jobs != null && jobs < 2)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--warm-up-share must be in [0, 1) and --jobs at least 2");
        }
        Path outDir = (out != null ? out : defaultOut()).toAbsolutePath();
        Files.createDirectories(outDir);
        Path logDir = Files.createTempDirectory("iw-bench-logs-");
        log("stack warnings in %s", System.getProperty("bench.stack.log",
                Path.of(System.getProperty("java.io.tmpdir"), "iw-bench-stack.log").toString()));
        List<Scenario> candidates = new ArrayList<>(quick ? Scenarios.quick() : Scenarios.full());
        if (only != null) {
            candidates.addAll(Scenarios.experiments());
        }
        List<Scenario> scenarios = candidates.stream().filter(s -> only == null || only.contains(s.id())).toList();
        MachineInfo machine = MachineInfo.current();
        String loadBefore = MachineInfo.loadAverage();
        log("%d scenarios (%s); load average %s on %d CPUs; contender logs in %s", scenarios.size(),
                quick ? "quick" : "full", loadBefore, machine.cpus(), logDir);
        long started = System.nanoTime();

        List<Measurement> measurements = new ArrayList<>();
        Map<String, Measurement> baselineByKey = new HashMap<>();
        Map<String, Measurement> baselines = new LinkedHashMap<>();
        Map<String, JfrSummary> profiles = new LinkedHashMap<>();
        ScenarioRunner runner;
        try (BenchStack stack = BenchStack.start()) {
            JvmForks forks = new JvmForks(logDir);
            Launcher launcher = new Launcher(forks, stack, outDir, workerProperties);
            runner = new ScenarioRunner(stack, launcher,
                    new Jcmd(forks.javaHome()), quick ? Duration.ofSeconds(5) : Duration.ofSeconds(12),
                    warmUpShare, UUID.randomUUID().toString().substring(0, 6));
            try {
                boolean trainAotCache = scenarios.stream().anyMatch(launcher::startsFromAotCache);
                if ((!quick && !noStackWarmUp) || trainAotCache) {
                    // The stack's JVM (broker, registry, simulator, result reader) starts cold. Without this, the
                    // first scenario of a run paid for the stack's JIT warm-up (stack CPU 0.29-0.35 ms/job in the first
                    // scenario, 0.16-0.28 in later ones, five runs on 7 Dec 2026), and so did the worker, which goes
                    // before Parallel Consumer there.
                    Scenario warmUp = Scenarios.stackWarmUp(trainAotCache);
                    log("warming the stack up: %,d jobs at 0 ms through a worker whose figures are not kept%s",
                            warmUp.jobs(), trainAotCache ? ", started to train an AOT cache" : "");
                    runner.preProduced(warmUp, ScenarioRunner.Contender.WORKER, false);
                }
                for (Scenario planned : scenarios) {
                    Scenario s = sized(planned, measurements);
                    boolean jfr = !noJfr && !s.target().isEmpty();
                    Measurement w;
                    Measurement b = null;
                    Measurement peer = null;
                    if (s.kind() == Scenario.Kind.OVERHEAD) {
                        double rate = overheadRate != null ? overheadRate : halfOfPeak(measurements);
                        // After the worker is ready: a pre-warm at full speed as long as a steady-state run's warm-up
                        // (the JIT settles), then a paced warm-up at this rate.
                        Duration warm = Duration.ofSeconds(quick ? 8 : 15);
                        Duration measured = Duration.ofSeconds(s.jobs());
                        w = runner.paced(s, ScenarioRunner.Contender.WORKER, rate, warm, measured,
                                quick ? 3_000 : Scenarios.STEADY_JOBS / 2, jfr);
                        if (!noBaseline) {
                            Measurement baseBaseline = baselineByKey.get(s.baselineKey());
                            double bRate = baseBaseline == null ? rate : baseBaseline.jobsPerSecond() / 2;
                            // No pre-warm: at a few jobs per second per thread it would take minutes, and its
                            // paced warm-up already warms its single code path.
                            b = runner.paced(s, ScenarioRunner.Contender.BASELINE, bRate, warm, measured, 0, false);
                        }
                    } else {
                        w = runner.preProduced(s, ScenarioRunner.Contender.WORKER, jfr);
                        if (!noParallelConsumer && s.peers() && s.kind() == Scenario.Kind.THROUGHPUT) {
                            // Right after the worker, on the same stack and the same number of fresh jobs.
                            peer = runner.preProduced(s, ScenarioRunner.Contender.PARALLEL_CONSUMER, false);
                        }
                        if (!noBaseline && s.kind() == Scenario.Kind.THROUGHPUT) {
                            b = baselineByKey.get(s.baselineKey());
                            if (b == null) {
                                b = runner.preProduced(s, ScenarioRunner.Contender.BASELINE, false);
                                baselineByKey.put(s.baselineKey(), b);
                                measurements.add(b);
                            }
                            baselines.put(s.id(), b);
                        }
                    }
                    measurements.add(w);
                    if (s.kind() == Scenario.Kind.OVERHEAD && b != null) {
                        measurements.add(b);
                    }
                    print(w, b);
                    if (peer != null) {
                        measurements.add(peer);
                        log("%s", PeerComparison.consoleLine(new PeerComparison.Pair(w, peer)));
                    }
                    summarise(w).ifPresent(p -> profiles.put(s.id(), p));
                }
            } finally {
                runner.close();
            }
            if (stack.otlp().exports() > 0) {
                log("OTLP sink: %d span exports received, %d bytes", stack.otlp().exports(), stack.otlp().bytes());
            }
        }
        String loadAfter = MachineInfo.loadAverage();
        List<TargetCheck> targets = TargetCheck.evaluate(measurements, machine.cpus(), runner.histograms());
        new Report(machine, command(), loadBefore, loadAfter, measurements, baselines,
                new Diagnostics(profiles, runner.histograms(), ofScenarios(runner.threadCpu(), scenarios)), targets)
                .write(outDir.resolve("results.md"));
        charts(outDir, measurements, baselines);
        log("done in %d s; load average %s; wrote %s", Duration.ofNanos(System.nanoTime() - started).toSeconds(),
                loadAfter, outDir.resolve("results.md"));
        targets.forEach(t -> log("target %-75s %-8s %s", t.target(),
                t.hit() == null ? "not run" : t.hit() ? "HIT" : "MISSED", t.measured()));
        PeerComparison.pairs(measurements).forEach(pair -> log("%s", PeerComparison.consoleLine(pair)));
        return 0;
    }

    /** The entries of {@code byScenarioId} for the run's scenarios (not, say, the stack warm-up's). */
    private static <T> Map<String, T> ofScenarios(Map<String, T> byScenarioId, List<Scenario> scenarios) {
        Map<String, T> kept = new LinkedHashMap<>(byScenarioId);
        kept.keySet().retainAll(scenarios.stream().map(Scenario::id).toList());
        return kept;
    }

    /** The flight recording's summary, if the run has a readable one. */
    private static java.util.Optional<JfrSummary> summarise(Measurement m) {
        if (m.jfr() == null || !Files.isRegularFile(m.jfr())) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(JfrSummary.of(m.jfr()));
        } catch (IOException | RuntimeException e) {
            log("could not read the flight recording %s: %s", m.jfr(), e);
            return java.util.Optional.empty();
        }
    }

    private void charts(Path outDir, List<Measurement> measurements, Map<String, Measurement> baselines)
            throws IOException {
        List<Measurement> worker = measurements.stream()
                .filter(m -> m.who().equals("worker") && m.scenario().kind() == Scenario.Kind.THROUGHPUT).toList();
        if (!worker.isEmpty()) {
            Charts.throughput(outDir.resolve("throughput.png"),
                    worker.stream().map(m -> m.scenario().id()).toList(),
                    worker.stream().map(Measurement::jobsPerSecond).toList(),
                    worker.stream().map(m -> baselines.containsKey(m.scenario().id())
                            ? baselines.get(m.scenario().id()).jobsPerSecond() : null).toList());
        }
        List<Measurement> paced = measurements.stream().filter(m -> m.overhead() != null).toList();
        Measurement w = paced.stream().filter(m -> m.who().equals("worker")).findFirst().orElse(null);
        if (w != null) {
            Measurement b = paced.stream().filter(m -> m.who().equals("baseline")).findFirst().orElse(null);
            String title = String.format(Locale.ROOT,
                    "Latency overhead at half of peak (worker %,.0f jobs/s%s), simulator latency %d ms",
                    w.overhead().ratePerSecond(), b == null ? ""
                            : String.format(Locale.ROOT, ", baseline %,.0f jobs/s", b.overhead().ratePerSecond()),
                    w.scenario().latency().toMillis());
            Charts.overhead(outDir.resolve("overhead.png"), title, percentiles(w.overhead()),
                    b == null ? null : percentiles(b.overhead()));
        }
    }

    private static List<Long> percentiles(Stats.Latency l) {
        return List.of(l.p50(), l.p90(), l.p99(), l.p999(), l.max());
    }

    /**
     * A throughput scenario sized to the host: as many jobs as {@value Scenarios#SIZED_SECONDS} s (quick:
     * {@value Scenarios#SIZED_SECONDS_QUICK} s) at 1.5 × the base's measured rate (at most the scenario's ceiling),
     * at most its planned count, so that a slow or busy host still finishes a full run in about 15 minutes. The base,
     * the steady-state ones, those compared with Parallel Consumer (their job counts are part of the comparison) and
     * the other kinds run as planned, as does everything before the base has been measured.
     * {@code --jobs} wins.
     */
    private Scenario sized(Scenario s, List<Measurement> measurements) {
        if (jobs != null && s.kind() == Scenario.Kind.THROUGHPUT) {
            return s.withJobs(jobs);
        }
        if (s.kind() != Scenario.Kind.THROUGHPUT || s.id().equals("base") || s.isSteady() || s.peers()) {
            return s;
        }
        return measurements.stream()
                .filter(m -> m.who().equals("worker") && m.scenario().id().equals("base") && m.jobsPerSecond() > 0)
                .findFirst()
                .map(base -> Scenarios.sizedFor(s, base.jobsPerSecond(),
                        quick ? Scenarios.SIZED_SECONDS_QUICK : Scenarios.SIZED_SECONDS))
                .orElse(s);
    }

    /**
     * Half of the peak: of the highest steady-state rate of the worker measured in this run, or else of the base
     * scenario's rate.
     */
    private static double halfOfPeak(List<Measurement> measurements) {
        List<Measurement> worker = measurements.stream()
                .filter(m -> m.who().equals("worker") && m.scenario().kind() == Scenario.Kind.THROUGHPUT
                        && m.jobsPerSecond() > 0)
                .toList();
        java.util.OptionalDouble steady = worker.stream().filter(m -> m.scenario().isSteady())
                .mapToDouble(Measurement::jobsPerSecond).max();
        java.util.OptionalDouble peak = steady.isPresent() ? steady : worker.stream()
                .filter(m -> m.scenario().id().equals("base")).mapToDouble(Measurement::jobsPerSecond).findFirst();
        return peak.stream().map(p -> p / 2).findFirst()
                .orElseThrow(() -> new CommandLine.ParameterException(new CommandLine(new Bench()),
                        "the overhead scenario needs a measured peak: run 'latency-0ms' or 'base' too, or give "
                                + "--overhead-rate"));
    }

    private static void print(Measurement w, Measurement b) {
        Scenario s = w.scenario();
        if (w.overhead() != null) {
            log("%-18s worker   overhead p50 %d p99 %d p99.9 %d ms at %,.0f jobs/s, %.3f CPU ms/job %s", s.id(),
                    w.overhead().p50(), w.overhead().p99(), w.overhead().p999(), w.overhead().ratePerSecond(),
                    w.cpuMsPerJob(), w.note());
            if (b != null) {
                log("%-18s baseline overhead p50 %d p99 %d p99.9 %d ms at %,.0f jobs/s, %.3f CPU ms/job %s", s.id(),
                        b.overhead().p50(), b.overhead().p99(), b.overhead().p999(), b.overhead().ratePerSecond(),
                        b.cpuMsPerJob(), b.note());
            }
            return;
        }
        log("%-18s worker %,9.0f jobs/s (ceiling %,.0f), %.3f CPU ms/job (stack %.3f), peak heap %s live %s, "
                        + "RSS %s, peak in flight %d, %s %s", s.id(), w.jobsPerSecond(), s.ceiling(), w.cpuMsPerJob(),
                w.stackCpuMsPerJob(), Report.mb(w.peakHeapBytes()), Report.mb(w.peakLiveBytes()),
                Report.mb(w.figures().peakRssBytes()), w.peakInFlight(), w.statuses(), w.note());
        if (b != null) {
            log("%-18s baseline %,7.1f jobs/s, %.3f CPU ms/job, RSS %s, ratio %,.0f× %s", s.id(), b.jobsPerSecond(),
                    b.cpuMsPerJob(), Report.mb(b.figures().peakRssBytes()), w.jobsPerSecond() / b.jobsPerSecond(),
                    b.note());
        }
    }

    private String command() {
        List<String> args = new ArrayList<>();
        if (quick) {
            args.add("--quick");
        }
        if (only != null) {
            args.add("--scenarios=" + String.join(",", only));
        }
        if (noBaseline) {
            args.add("--no-baseline");
        }
        if (noParallelConsumer) {
            args.add("--no-parallel-consumer");
        }
        if (noJfr) {
            args.add("--no-jfr");
        }
        if (overheadRate != null) {
            args.add("--overhead-rate=" + overheadRate);
        }
        if (jobs != null) {
            args.add("--jobs=" + jobs);
        }
        if (warmUpShare != null) {
            args.add("--warm-up-share=" + warmUpShare);
        }
        workerProperties.forEach((k, v) -> args.add("--worker-property=" + k + "=" + v));
        String joined = args.stream().collect(Collectors.joining(" "));
        return "./mvnw -q -pl bench -am package -DskipTests exec:java"
                + (joined.isEmpty() ? "" : " -Dexec.args=\"" + joined + "\"");
    }

    /** {@code bench/results} of the module ({@code bench.basedir}, set by the pom), else of the working directory. */
    private static Path defaultOut() {
        String base = System.getProperty("bench.basedir");
        if (base != null) {
            return Path.of(base, "results");
        }
        return Files.isDirectory(Path.of("bench")) ? Path.of("bench", "results") : Path.of("results");
    }

    static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[bench %tT] " + format + "%n",
                mergeFirst(System.currentTimeMillis(), args));
    }

    private static Object[] mergeFirst(Object first, Object[] rest) {
        Object[] all = Arrays.copyOf(new Object[] {first}, rest.length + 1);
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
