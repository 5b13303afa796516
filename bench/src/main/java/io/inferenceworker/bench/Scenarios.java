package io.inferenceworker.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The scenarios of a run: each varies one dimension of {@link Scenario#base}, plus the targets. Job counts are sized
 * (then adapted to the host's speed by {@link #sizedFor}) so that a full run takes about 15 minutes on 2 cores and a
 * quick one a few.
 */
final class Scenarios {
    static final String TARGET_PEAK = "≥ 5,000 jobs/s at 0 ms latency";
    static final String TARGET_CEILING = "≥ 90% of the 4,096 jobs/s ceiling (1 s, 1 partition, in-flight 4096)";
    static final String TARGET_OVERHEAD = "p99 overhead ≤ 20 ms at half of peak load";
    static final String TARGET_HEAP = "heap ≤ 512 MB with 10,000 jobs of 8 KB in flight";

    /** The heap target's run in a 512 MB heap. */
    static final String HEAP_512M_ID = "heap-8k-10000-512m";
    static final String HEAP_BUDGET_ID = "heap-8k-10000-512m-budget";

    /** Simulator latency of the heap scenario: long enough for all 10,000 jobs to be in flight at once. */
    static final Duration HEAP_LATENCY = Duration.ofSeconds(5);

    /** Seconds of work a throughput scenario is sized for once the base's rate is known (see {@link #sizedFor}). */
    static final int SIZED_SECONDS = 25;
    static final int SIZED_SECONDS_QUICK = 12;
    /**
     * Jobs of a steady-state target scenario, half of them warm-up: on 2 cores a fresh worker needs ~100,000 jobs
     * (about 90 s) before its JIT compiler stops taking a core, and the targets are about a worker that runs for days.
     */
    static final int STEADY_JOBS = 200_000;

    /** Fewest jobs a sized scenario gets: its rate is counted over 90% of them. */
    private static final int MIN_JOBS = 4_000;

    private Scenarios() {
    }

    /**
     * {@code s} with as many jobs as {@code seconds} at 1.5 × {@code baseRate} (at most the scenario's ceiling), at
     * least {@value #MIN_JOBS}, at most as many as planned.
     */
    static Scenario sizedFor(Scenario s, double baseRate, int seconds) {
        double expected = Math.min(1.5 * baseRate, s.ceiling());
        long jobs = Math.round(expected * seconds);
        return s.withJobs((int) Math.max(Math.min(MIN_JOBS, s.jobs()), Math.min(s.jobs(), jobs)));
    }

    static List<Scenario> full() {
        Scenario base = Scenario.base(30_000);
        List<Scenario> all = new ArrayList<>();
        // Against Parallel Consumer (issue 15): 30,000 jobs (start-up and warm-up weigh), 100,000, and 0 ms.
        all.add(base.withPeers());
        all.add(base.withId("base-100k", "100,000 jobs").withJobs(100_000).withPeers());
        all.add(base.withId("latency-0ms", "latency 0 ms, steady state").withLatency(Duration.ZERO)
                .withTarget(TARGET_PEAK).steady(STEADY_JOBS).withPeers());
        all.add(base.withId("latency-200ms", "latency 200 ms").withLatency(Duration.ofMillis(200)).withJobs(30_000));
        all.add(base.withId("share-latency-200ms", "share group, latency 200 ms").withIntakeMode("share")
                .withLatency(Duration.ofMillis(200)).withJobs(30_000));
        all.add(base.withId("share-base", "share group").withIntakeMode("share"));
        all.add(base.withId("latency-1s", "latency 1 s").withLatency(Duration.ofSeconds(1)).withJobs(15_000));
        all.add(base.withId("partitions-1", "1 partition").withPartitions(1));
        all.add(base.withId("inflight-256", "in-flight 256").withInFlightLimit(256).withJobs(30_000));
        all.add(base.withId("inflight-4096", "in-flight 4096").withInFlightLimit(4096));
        all.add(base.withId("prompt-8k", "prompt 8 KB").withPromptBytes(8 * 1024).withJobs(30_000));
        all.add(base.withId("stream-on", "streaming on").withStream(true).withJobs(20_000));
        all.add(ceilingTarget(40_000).steady(STEADY_JOBS));
        all.addAll(heapTargets(10_000));
        all.add(overhead(base, 20));
        return all;
    }

    /**
     * What a full run sends through the stack before its first scenario, to warm the stack's JIT up; not reported.
     * When a scenario of the run starts the worker with an AOT cache, this run trains it ({@link Launcher}).
     */
    static Scenario stackWarmUp(boolean trainAotCache) {
        Scenario warmUp = Scenario.base(30_000).withId("stack-warm-up", "stack warm-up, not reported")
                .withLatency(Duration.ZERO);
        return warmUp.withWorkerProperty(Launcher.LAUNCH,
                (trainAotCache ? Launcher.WorkerLaunch.AOT_TRAIN : Launcher.WorkerLaunch.CLASSPATH).setting());
    }

    /**
     * Scenarios that change one worker setting against a scenario of {@link #full}, run only when named with
     * {@code --scenarios} (each adds minutes to a run).
     */
    static List<Scenario> experiments() {
        Scenario base = Scenario.base(30_000);
        List<Scenario> all = new ArrayList<>();
        // Tracing's cost (issue 17): the steady state at 0 ms with no spans at all, and with spans exported over
        // OTLP/HTTP to a stand-in collector; the default (spans made, none exported) is latency-0ms itself.
        all.add(base.withId("latency-0ms-tracing-off", "latency 0 ms, steady state, tracing.enabled=false")
                .withLatency(Duration.ZERO).withWorkerProperty("tracing.enabled", "false").steady(STEADY_JOBS));
        all.add(base.withId("latency-0ms-otlp", "latency 0 ms, steady state, spans exported over OTLP")
                .withLatency(Duration.ZERO).withWorkerProperty("otel.exporter.otlp.endpoint", OtlpSink.PLACEHOLDER)
                .withWorkerProperty("otel.exporter.otlp.protocol", "http/protobuf").steady(STEADY_JOBS));
        // Issue 15's levers against base-100k: the output compression, and the votes component.
        Scenario base100k = base.withId("base-100k", "100,000 jobs").withJobs(100_000).withPeers();
        all.add(base100k.withId("base-100k-lz4", "100,000 jobs, outputs lz4 rather than gzip")
                .withWorkerProperty("kafka.producer.compression.type", "lz4"));
        all.add(base100k.withId("base-100k-votes-off", "100,000 jobs, votes.enabled=false")
                .withWorkerProperty("votes.enabled", "false"));
        all.add(base100k.withId("base-100k-votes-unbatched", "100,000 jobs, votes consumer with Kafka's fetch defaults")
                .withWorkerProperty("votes.streams.main.consumer.fetch.min.bytes", "1")
                .withWorkerProperty("votes.streams.main.consumer.fetch.max.wait.ms", "500"));
        all.add(base100k.withId("base-100k-votes-commit-100ms", "100,000 jobs, votes commit every 100 ms (EOS default)")
                .withWorkerProperty("votes.streams.commit.interval.ms", "100"));
        // Start-up (issue 15): the worker as it ran before the image carried an AOT cache, beside Parallel Consumer:
        // from the build's class directories, and from the distribution jar without a cache.
        all.add(base.withId("base-classpath", "30,000 jobs, worker from its class path, no AOT cache").withPeers()
                .withWorkerProperty(Launcher.LAUNCH, Launcher.WorkerLaunch.CLASSPATH.setting()));
        all.add(base100k.withId("base-100k-classpath", "100,000 jobs, worker from its class path, no AOT cache")
                .withWorkerProperty(Launcher.LAUNCH, Launcher.WorkerLaunch.CLASSPATH.setting()));
        all.add(base.withId("base-jar", "30,000 jobs, worker from inference-worker.jar, no AOT cache").withPeers()
                .withWorkerProperty(Launcher.LAUNCH, Launcher.WorkerLaunch.JAR.setting()));
        // The JIT compiler threads took a quarter of the worker's CPU even in the steady window of base-100k from the
        // class path (0.14 of 0.53 ms/job): the client compiler only, which ends that but runs slower code.
        all.add(base.withId("base-c1", "30,000 jobs, worker from its class path with -XX:TieredStopAtLevel=1")
                .withPeers().withWorkerProperty(Launcher.LAUNCH, Launcher.WorkerLaunch.CLASSPATH.setting())
                .withWorkerProperty(Launcher.JVM_OPTIONS, "-XX:TieredStopAtLevel=1"));
        all.add(base100k.withId("base-100k-c1", "100,000 jobs, worker from its class path with -XX:TieredStopAtLevel=1")
                .withWorkerProperty(Launcher.LAUNCH, Launcher.WorkerLaunch.CLASSPATH.setting())
                .withWorkerProperty(Launcher.JVM_OPTIONS, "-XX:TieredStopAtLevel=1"));
        return all;
    }

    static List<Scenario> quick() {
        Scenario base = Scenario.base(8_000);
        List<Scenario> quick = new ArrayList<>();
        quick.add(base.withPeers());
        quick.add(base.withId("latency-0ms", "latency 0 ms").withLatency(Duration.ZERO).withJobs(12_000)
                .withTarget(TARGET_PEAK).withPeers());
        quick.add(base.withId("latency-200ms", "latency 200 ms").withLatency(Duration.ofMillis(200)).withJobs(8_000));
        quick.add(base.withId("share-latency-200ms", "share group, latency 200 ms").withIntakeMode("share")
                .withLatency(Duration.ofMillis(200)).withJobs(8_000));
        quick.add(ceilingTarget(12_000));
        quick.add(heapTargets(10_000).getFirst());
        quick.add(overhead(base, 6));
        return quick;
    }

    private static Scenario ceilingTarget(int jobs) {
        return Scenario.base(jobs).withId("target-1s-1p-4096", "1 s, 1 partition, in-flight 4096")
                .withLatency(Duration.ofSeconds(1)).withPartitions(1).withInFlightLimit(4096)
                .withTarget(TARGET_CEILING);
    }

    /**
     * The heap target's runs: with a 1 GB heap, to measure what 10,000 jobs of 8 KB hold (a class histogram after a
     * full GC while all are in flight); in the 512 MB the target names, to see whether it copes; and in 512 MB with the
     * worker's default in-flight byte budget (1/16 of the heap), which makes jobs wait rather than exhaust the heap.
     */
    private static List<Scenario> heapTargets(int jobs) {
        Scenario heap = Scenario.base(jobs).withId("heap-8k-10000", "10,000 × 8 KB in flight, -Xmx1g")
                .withKind(Scenario.Kind.HEAP).withLatency(HEAP_LATENCY).withInFlightLimit(10_000)
                .withPromptBytes(8 * 1024).withTarget(TARGET_HEAP);
        Scenario small = heap.withId(HEAP_512M_ID, "10,000 × 8 KB in flight, -Xmx512m").withWorkerXmx("512m")
                .withTarget("");
        Scenario budgeted = small.withId(HEAP_BUDGET_ID, "10,000 × 8 KB, -Xmx512m, default byte budget")
                .withDefaultByteBudget();
        return List.of(heap, small, budgeted);
    }

    /** The paced run: {@code seconds} of load at half of the peak measured (steady state, else the base's rate). */
    private static Scenario overhead(Scenario base, int seconds) {
        return base.withId("overhead", "paced at ½ of peak").withKind(Scenario.Kind.OVERHEAD).withJobs(seconds)
                .withTarget(TARGET_OVERHEAD);
    }
}
