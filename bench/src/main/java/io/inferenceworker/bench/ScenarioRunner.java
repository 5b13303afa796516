package io.inferenceworker.bench;

import io.inferenceworker.testkit.JvmForks;
import io.inferenceworker.testkit.sim.Dialect;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one scenario for one contender on the shared stack: fresh topics, requests in, a forked contender, results
 * out, figures computed; then the contender is stopped and the topics deleted. Not thread-safe: runs go one by one.
 */
final class ScenarioRunner {
    /** Who is measured; {@code label} names it in measurements and reports, {@code tag} in its topics. */
    enum Contender {
        WORKER("worker", "w"), BASELINE("baseline", "b"), PARALLEL_CONSUMER("parallel-consumer", "p");

        private final String label;
        private final String tag;

        Contender(String label, String tag) {
            this.label = label;
            this.tag = tag;
        }

        String label() {
            return label;
        }
    }

    private static final Duration STALL = Duration.ofSeconds(60);
    /** A worker out of heap makes no progress at all: no need to wait as long. */
    private static final Duration HEAP_STALL = Duration.ofSeconds(30);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    /** Class histograms taken at most while every job of a HEAP scenario is in flight. */
    private static final int MAX_HISTOGRAMS = 60;

    private final BenchStack stack;
    private final Launcher launcher;
    private final RequestFeeder feeder;
    private final Jcmd jcmd;
    private final Duration baselineWindow;
    private final Double warmUpShare;
    private final String nonce;
    private final AtomicInteger runs = new AtomicInteger();
    private final Map<String, HeapHistogram> histograms = new LinkedHashMap<>();
    private final Map<String, CpuByThread> threadCpu = new LinkedHashMap<>();

    /**
     * Where a worker run's CPU went, by thread group, from the warm-up mark to the last result.
     *
     * @param msByGroup CPU ms per thread group, largest first
     * @param jobs      results in that time
     */
    record CpuByThread(Map<String, Long> msByGroup, int jobs) {
    }

    /** @param warmUpShare the warm-up share of every throughput run instead of its scenario's, or {@code null} */
    ScenarioRunner(BenchStack stack, Launcher launcher, Jcmd jcmd, Duration baselineWindow, Double warmUpShare,
                   String nonce) {
        this.stack = Objects.requireNonNull(stack, "stack");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.jcmd = Objects.requireNonNull(jcmd, "jcmd");
        this.baselineWindow = Objects.requireNonNull(baselineWindow, "baselineWindow");
        this.warmUpShare = warmUpShare;
        this.nonce = Objects.requireNonNull(nonce, "nonce");
        this.feeder = new RequestFeeder(stack.kafka().bootstrapServers(), stack.registry().url());
    }

    /**
     * Pre-produces the scenario's requests, then lets the contender work through them. The worker and Parallel
     * Consumer get them all; the baseline, far slower, gets what it can do in the baseline window, and is stopped at
     * its end.
     */
    Measurement preProduced(Scenario s, Contender who, boolean flightRecording) throws InterruptedException {
        RunTopics topics = prepare(s, who);
        boolean worker = who == Contender.WORKER;
        int sent = who == Contender.BASELINE ? baselineJobs(s) : s.jobs();
        long overflowsBefore = MachineInfo.listenOverflows();
        feeder.preProduce(topics.requests(), topics.run(), 0, sent, s.promptBytes(), worker && s.stream());
        String note = "";
        try (ResultCollector results = new ResultCollector(stack.kafka().bootstrapServers(), topics.results(),
                s.partitions(), topics.run(), sent)) {
            Launcher.Started started = start(who, s, topics, flightRecording);
            ProcessProbe probe = new ProcessProbe(started.process().pid(), started.metricsPort());
            ProcessProbe stackProbe = new ProcessProbe(ProcessHandle.current().pid(), 0);
            try {
                if (s.kind() == Scenario.Kind.HEAP) {
                    histogramWhenAllInFlight(s, started.process(), probe, results);
                }
                if (worker) {
                    Duration stall = s.kind() == Scenario.Kind.HEAP ? HEAP_STALL : STALL;
                    long pid = started.process().pid();
                    results.awaitDistinct((int) (sent * warmUpShare(s)), stall, timeoutFor(s));
                    startFlightRecording(started);
                    ThreadCpu atWarmMark = ThreadCpu.snapshot(pid);
                    int doneAtWarmMark = results.distinct();
                    if (!results.awaitDistinct(sent, stall, timeoutFor(s))) {
                        note = "incomplete: " + results.distinct() + " of " + sent + " results";
                    }
                    threadCpu.put(s.id(), new CpuByThread(ThreadCpu.snapshot(pid).since(atWarmMark),
                            results.distinct() - doneAtWarmMark));
                } else if (who == Contender.PARALLEL_CONSUMER) {
                    // Not time-boxed: it is as fast as the worker, and the comparison is over the same jobs.
                    if (!results.awaitDistinct(sent, STALL, timeoutFor(s))) {
                        note = "incomplete: " + results.distinct() + " of " + sent + " results";
                    }
                } else {
                    results.awaitDistinct(1, STALL, STALL.multipliedBy(2));
                    if (!results.awaitDistinct(sent, STALL, baselineWindow)) {
                        note = "time-boxed: " + results.distinct() + " of " + sent + " in " + baselineWindow.toSeconds()
                                + " s";
                    }
                }
            } finally {
                probe.close();
                stackProbe.close();
                note = withExitNote(note, started.process());
                stop(started);
            }
            results.stop();
            long[] stamps = results.sortedTimestamps();
            Stats.Rate rate = Stats.sustained(stamps, warmUpShare(s));
            double cpuPerJob = cpuPerJob(probe, rate.fromMillis(), rate.toMillis(), rate.jobs());
            double stackCpuPerJob = cpuPerJob(stackProbe, rate.fromMillis(), rate.toMillis(), rate.jobs());
            Map<String, Integer> statuses = results.statusCounts(stack.registry().url());
            note = withHostNote(note, overflowsBefore);
            return new Measurement(who.label(), s, sent, results.distinct(),
                    rate.perSecond(), cpuPerJob, stackCpuPerJob, probe.peakHeapBytes(), probe.peakLiveBytes(),
                    probe.peakInFlight(), null, statuses, results.duplicates(), started.jfr(),
                    RunFigures.of(started.startedAtMillis(), stamps, probe), note);
        } finally {
            topics.delete(stack.kafka());
        }
    }

    /**
     * A paced load of {@code rate} jobs/s for {@code warmUp + measured}, produced while the contender runs;
     * end-to-end latency (result timestamp − request timestamp) minus the simulator's latency, for the jobs sent
     * after the warm-up.
     *
     * <p>Before it, {@code preWarm} requests are pre-produced and awaited: a cold JVM hit at once by the full rate is
     * seconds slow at first (class loading, interpreter, JIT), builds a backlog of thousands of jobs and would still be
     * draining it when the measurement starts; that is the start-up, not the overhead at half of peak load.
     */
    Measurement paced(Scenario s, Contender who, double rate, Duration warmUp, Duration measured, int preWarm,
                      boolean flightRecording) throws InterruptedException {
        RunTopics topics = prepare(s, who);
        boolean worker = who == Contender.WORKER;
        int count = (int) Math.max(1, Math.round(rate * (warmUp.toMillis() + measured.toMillis()) / 1000.0));
        int warmCount = (int) Math.round(rate * warmUp.toMillis() / 1000.0);
        long overflowsBefore = MachineInfo.listenOverflows();
        String note = "";
        try (ResultCollector results = new ResultCollector(stack.kafka().bootstrapServers(), topics.results(),
                s.partitions(), topics.run(), preWarm + count)) {
            Launcher.Started started = start(who, s, topics, flightRecording);
            ProcessProbe probe = new ProcessProbe(started.process().pid(), started.metricsPort());
            ProcessProbe stackProbe = new ProcessProbe(ProcessHandle.current().pid(), 0);
            long[] sentAt;
            try {
                topics.awaitGroupAssigned(stack.kafka(), worker ? 1 : s.partitions(), READY_TIMEOUT);
                if (worker) {
                    awaitReady(started.metricsPort());
                }
                if (preWarm > 0) {
                    feeder.preProduce(topics.requests(), topics.run(), 0, preWarm, s.promptBytes(),
                            worker && s.stream());
                    if (!results.awaitDistinct(preWarm, STALL, timeoutFor(s.withJobs(preWarm)))) {
                        note = "pre-warm incomplete: " + results.distinct() + " of " + preWarm + "; ";
                    }
                }
                // Before the paced warm-up, so that starting the recorder does not disturb the measured jobs.
                startFlightRecording(started);
                sentAt = feeder.paced(topics.requests(), topics.run(), preWarm, rate, warmUp.plus(measured),
                        s.promptBytes(), worker && s.stream());
                if (!results.awaitDistinct(preWarm + sentAt.length, STALL, STALL)) {
                    note += "incomplete: " + (results.distinct() - preWarm) + " of " + sentAt.length + " results";
                }
                note = note.endsWith("; ") ? note.substring(0, note.length() - 2) : note;
            } finally {
                probe.close();
                stackProbe.close();
                note = withExitNote(note, started.process());
                stop(started);
            }
            results.stop();
            long latencyMs = s.latency().toMillis();
            long[] overheads = new long[sentAt.length];
            int n = 0;
            long firstResult = Long.MAX_VALUE;
            long lastResult = 0;
            for (int i = warmCount; i < sentAt.length; i++) {
                long at = results.timestampOf(preWarm + i);
                if (at != 0) {
                    overheads[n++] = at - sentAt[i] - latencyMs;
                    firstResult = Math.min(firstResult, at);
                    lastResult = Math.max(lastResult, at);
                }
            }
            // CPU per job over the measured jobs' results, counting every result in that time (late warm-up ones too).
            long[] stamps = results.sortedTimestamps();
            long from = firstResult;
            long to = lastResult;
            int inWindow = (int) Arrays.stream(stamps).filter(t -> t >= from && t <= to).count() - 1;
            double cpuPerJob = cpuPerJob(probe, from, to, inWindow);
            double stackCpuPerJob = cpuPerJob(stackProbe, from, to, inWindow);
            note = withHostNote(note, overflowsBefore);
            return new Measurement(who.label(), s, preWarm + sentAt.length,
                    results.distinct(), Double.NaN, cpuPerJob, stackCpuPerJob, probe.peakHeapBytes(),
                    probe.peakLiveBytes(), probe.peakInFlight(), Stats.latency(rate, Arrays.copyOf(overheads, n)),
                    results.statusCounts(stack.registry().url()), results.duplicates(), started.jfr(),
                    RunFigures.of(started.startedAtMillis(), stamps, probe), note);
        } finally {
            topics.delete(stack.kafka());
        }
    }

    /** The worker's CPU by thread group in each pre-produced scenario. */
    Map<String, CpuByThread> threadCpu() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(threadCpu));
    }

    private double warmUpShare(Scenario s) {
        return warmUpShare != null ? warmUpShare : s.warmUpShare();
    }

    /** Live heap by class of each HEAP scenario, taken while all its jobs were in flight. */
    Map<String, HeapHistogram> histograms() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(histograms));
    }

    /**
     * Waits until (nearly) every job is in flight, then takes a class histogram of the worker's live heap (jcmd runs
     * a full GC first) every second for as long as they stay in flight (at most {@value #MAX_HISTOGRAMS}), and keeps
     * the largest: what the jobs hold grows while they wait (request bodies sent, response buffers opened), so one
     * histogram at the moment they are all in flight would understate it. Gives up when results start arriving or the
     * worker stalls or exits.
     */
    private void histogramWhenAllInFlight(Scenario s, Process worker, ProcessProbe probe, ResultCollector results)
            throws InterruptedException {
        long want = (long) (0.95 * Math.min(s.jobs(), s.inFlightLimit()));
        long deadline = System.nanoTime() + STALL.toNanos();
        while (probe.latestInFlight() < want && results.distinct() == 0 && worker.isAlive()
                && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(ProcessProbe.PERIOD_MS);
        }
        HeapHistogram largest = null;
        for (int taken = 0; taken < MAX_HISTOGRAMS && probe.latestInFlight() >= want && results.distinct() == 0
                && worker.isAlive(); taken++) {
            HeapHistogram h = jcmd.classHistogram(worker.pid());
            if (h != null && (largest == null || h.totalBytes() > largest.totalBytes())) {
                largest = h;
            }
            TimeUnit.SECONDS.sleep(1);
        }
        if (largest != null) {
            histograms.put(s.id(), largest);
        }
    }

    private Launcher.Started start(Contender who, Scenario s, RunTopics topics, boolean flightRecording) {
        return switch (who) {
            case WORKER -> launcher.worker(s, topics, flightRecording);
            case BASELINE -> launcher.baseline(topics);
            case PARALLEL_CONSUMER -> launcher.parallelConsumer(s, topics);
        };
    }

    /** Starts the contender's flight recording, if it is to be recorded. */
    private void startFlightRecording(Launcher.Started started) {
        if (started.jfr() != null && !jcmd.startFlightRecording(started.process().pid())) {
            System.err.println("Could not start a flight recording in " + started.process().pid());
        }
    }

    /**
     * Waits until the worker's {@code /health/readiness} answers 200: started, its intake created, Kafka and the
     * registry reachable. A paced load must not start earlier, or the worker's start-up is measured as overhead.
     */
    private static void awaitReady(int port) throws InterruptedException {
        URI readiness = URI.create("http://127.0.0.1:" + port + "/health/readiness");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            while (System.nanoTime() < deadline) {
                try {
                    if (http.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
        throw new IllegalStateException("the worker on port " + port + " was not ready within " + READY_TIMEOUT);
    }

    /** Dumps the flight recording if there is one, then stops the contender. */
    private void stop(Launcher.Started started) throws InterruptedException {
        if (started.jfr() != null && started.process().isAlive()
                && !jcmd.dumpFlightRecording(started.process().pid(), started.jfr())) {
            System.err.println("Could not dump the flight recording to " + started.jfr());
        }
        JvmForks.stop(started.process(), started.stopGrace());
    }

    /**
     * Says so when the contender ended on its own before it was stopped: it runs with
     * {@code -XX:+ExitOnOutOfMemoryError}, so exit code 3 means it ran out of heap.
     */
    private static String withExitNote(String note, Process process) {
        if (process.isAlive()) {
            return note;
        }
        int code = process.exitValue();
        String exit = "the contender exited with code " + code + (code == 3 ? " (OutOfMemoryError)" : "");
        return note.isEmpty() ? exit : note + "; " + exit;
    }

    /** Adds the host's TCP listen-queue overflows during the run (connections the simulator dropped), if any. */
    private static String withHostNote(String note, long overflowsBefore) {
        long overflows = MachineInfo.listenOverflows() - overflowsBefore;
        if (overflowsBefore < 0 || overflows <= 0) {
            return note;
        }
        String host = overflows + " TCP listen-queue overflows on the host";
        return note.isEmpty() ? host : note + "; " + host;
    }

    private RunTopics prepare(Scenario s, Contender who) {
        String run = "bench-" + nonce + "-" + runs.incrementAndGet() + "-" + s.id() + "-" + who.tag;
        RunTopics topics = new RunTopics(run, s.partitions());
        topics.create(stack.kafka());
        if (s.isShare()) {
            // the requests are produced before the worker's share group exists: it must start from the earliest
            stack.kafka().alterGroupConfigs(topics.group(), Map.of("share.auto.offset.reset", "earliest"));
        }
        stack.simulator().setLatency(Dialect.OPENAI, s.latency());
        return topics;
    }

    /** Enough requests to keep the baseline busy for its whole window (it is time-boxed, not run to the end). */
    private int baselineJobs(Scenario s) {
        double perThread = 1000.0 / (s.latency().toMillis() + 3);
        double estimate = s.partitions() * perThread * baselineWindow.toSeconds() * 1.5;
        return (int) Math.max(50, Math.min(Math.min(s.jobs(), 20_000), estimate));
    }

    /** Generous: the jobs at a tenth of the in-flight ceiling (at most 500/s, at least 50/s), plus a minute. */
    private static Duration timeoutFor(Scenario s) {
        double slowRate = Math.max(50, Math.min(500, s.ceiling() / 10));
        return Duration.ofSeconds(60 + (long) (s.jobs() / slowRate));
    }

    private static double cpuPerJob(ProcessProbe probe, long fromMillis, long toMillis, int jobs) {
        if (jobs <= 0 || toMillis <= fromMillis) {
            return Double.NaN;
        }
        long from = probe.cpuMillisAt(fromMillis);
        long to = probe.cpuMillisAt(toMillis);
        return from < 0 || to < 0 ? Double.NaN : (double) (to - from) / jobs;
    }

    void close() {
        feeder.close();
    }
}
