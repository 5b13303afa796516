package io.inferenceworker.bench;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One benchmark run's settings. Immutable; {@code with*} methods return a copy with one thing changed.
 *
 * @param id     short identifier, used in topic names and file names
 * @param varies what this scenario changes from the base ("base" for the base itself)
 * @param kind   what is measured
 * @param load   the load and the worker's shape
 * @param jobs   requests pre-produced (THROUGHPUT, HEAP) or seconds of paced load (OVERHEAD)
 * @param target the target this scenario checks, or empty
 * @param warmUpShare share of the first results left out as warm-up; a steady-state scenario leaves out half of a
 *                    long run, because on 2 cores the JIT compiler keeps ~1 core busy for the worker's first minute
 * @param peers  whether Parallel Consumer runs this scenario too (issue 15's comparison), over the same jobs
 */
record Scenario(String id, String varies, Kind kind, Load load, int jobs, String target, double warmUpShare,
                boolean peers) {
    static final double STEADY_WARM_UP_SHARE = 0.5;

    /** What a scenario measures. */
    enum Kind {
        /** Pre-produced requests, then jobs/s from the first result to the last. */
        THROUGHPUT,
        /** A paced load at half of the peak rate; end-to-end latency minus the simulator's. */
        OVERHEAD,
        /** Pre-produced requests, all in flight at once (long provider latency); peak and live heap. */
        HEAP
    }

    /**
     * @param latency       the provider simulator's latency before every answer
     * @param partitions    partitions of the request and output topics
     * @param inFlightLimit the worker's {@code worker.in-flight-limit}
     * @param promptBytes   size of the user message of every request
     * @param stream        whether requests ask for streamed chunks
     * @param workerXmx     the worker JVM's maximum heap, e.g. {@code 1g}
     * @param byteBudget    whether the worker keeps its default {@code worker.in-flight-bytes-limit}; otherwise that
     *                      is set high enough for the in-flight job limit alone to bind, as the scenario says
     * @param intakeMode    the worker's {@code worker.intake-mode}: {@code group} or {@code share}
     * @param workerProperties further worker settings of this scenario (after the run's own, before the command
     *                      line's {@code --worker-property})
     */
    record Load(Duration latency, int partitions, int inFlightLimit, int promptBytes, boolean stream,
                String workerXmx, boolean byteBudget, String intakeMode, Map<String, String> workerProperties) {
        Load {
            workerProperties = Map.copyOf(workerProperties);
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(workerXmx, "workerXmx");
            Objects.requireNonNull(intakeMode, "intakeMode");
            if (partitions < 1 || inFlightLimit < 1 || promptBytes < 1) {
                throw new IllegalArgumentException("partitions, in-flight limit and prompt size must be >= 1");
            }
        }
    }

    Scenario {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(varies, "varies");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(load, "load");
        Objects.requireNonNull(target, "target");
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be >= 1");
        }
        if (warmUpShare < 0 || warmUpShare >= 1) {
            throw new IllegalArgumentException("warm-up share must be in [0, 1)");
        }
    }

    /** The base: 50 ms, 12 partitions, in-flight 1024, 200-byte prompts, no streaming, worker heap 1 GB. */
    static Scenario base(int jobs) {
        return new Scenario("base", "base", Kind.THROUGHPUT,
                new Load(Duration.ofMillis(50), 12, 1024, 200, false, "1g", false, "group",
                        Map.of()), jobs, "", Stats.WARM_UP_SHARE, false);
    }

    Duration latency() {
        return load.latency();
    }

    int partitions() {
        return load.partitions();
    }

    int inFlightLimit() {
        return load.inFlightLimit();
    }

    int promptBytes() {
        return load.promptBytes();
    }

    boolean stream() {
        return load.stream();
    }

    Scenario withId(String newId, String newVaries) {
        return new Scenario(newId, newVaries, kind, load, jobs, target, warmUpShare, peers);
    }

    Scenario withKind(Kind newKind) {
        return new Scenario(id, varies, newKind, load, jobs, target, warmUpShare, peers);
    }

    Scenario withJobs(int n) {
        return new Scenario(id, varies, kind, load, n, target, warmUpShare, peers);
    }

    /**
     * This scenario measured in steady state: {@code n} jobs, the first half left out (JIT warm-up), and not resized
     * to the host like the short comparison runs.
     */
    Scenario steady(int n) {
        return new Scenario(id, varies, kind, load, n, target, STEADY_WARM_UP_SHARE, peers);
    }

    /** This scenario run by Parallel Consumer too. */
    Scenario withPeers() {
        return new Scenario(id, varies, kind, load, jobs, target, warmUpShare, true);
    }

    boolean isSteady() {
        return warmUpShare >= STEADY_WARM_UP_SHARE;
    }

    Scenario withTarget(String newTarget) {
        return new Scenario(id, varies, kind, load, jobs, newTarget, warmUpShare, peers);
    }

    Scenario withLatency(Duration d) {
        return withLoad(new Load(d, load.partitions(), load.inFlightLimit(), load.promptBytes(), load.stream(),
                load.workerXmx(), load.byteBudget(), load.intakeMode(),
                load.workerProperties()));
    }

    Scenario withPartitions(int n) {
        return withLoad(new Load(load.latency(), n, load.inFlightLimit(), load.promptBytes(), load.stream(),
                load.workerXmx(), load.byteBudget(), load.intakeMode(),
                load.workerProperties()));
    }

    Scenario withInFlightLimit(int n) {
        return withLoad(new Load(load.latency(), load.partitions(), n, load.promptBytes(), load.stream(),
                load.workerXmx(), load.byteBudget(), load.intakeMode(),
                load.workerProperties()));
    }

    Scenario withPromptBytes(int n) {
        return withLoad(new Load(load.latency(), load.partitions(), load.inFlightLimit(), n, load.stream(),
                load.workerXmx(), load.byteBudget(), load.intakeMode(),
                load.workerProperties()));
    }

    Scenario withStream(boolean on) {
        return withLoad(new Load(load.latency(), load.partitions(), load.inFlightLimit(), load.promptBytes(), on,
                load.workerXmx(), load.byteBudget(), load.intakeMode(),
                load.workerProperties()));
    }

    Scenario withWorkerXmx(String xmx) {
        return withLoad(new Load(load.latency(), load.partitions(), load.inFlightLimit(), load.promptBytes(),
                load.stream(), xmx, load.byteBudget(), load.intakeMode(),
                load.workerProperties()));
    }

    /** This scenario with the worker's default in-flight byte budget rather than one that never binds. */
    Scenario withDefaultByteBudget() {
        return withLoad(new Load(load.latency(), load.partitions(), load.inFlightLimit(), load.promptBytes(),
                load.stream(), load.workerXmx(), true, load.intakeMode(), load.workerProperties()));
    }

    /** This scenario with the worker reading through a share group ({@code share}) or a consumer group. */
    Scenario withIntakeMode(String mode) {
        return withLoad(new Load(load.latency(), load.partitions(), load.inFlightLimit(), load.promptBytes(),
                load.stream(), load.workerXmx(), load.byteBudget(), mode, load.workerProperties()));
    }

    /** This scenario with the worker setting {@code key} to {@code value}. */
    Scenario withWorkerProperty(String key, String value) {
        Map<String, String> properties = new java.util.HashMap<>(load.workerProperties());
        properties.put(key, value);
        return withLoad(new Load(load.latency(), load.partitions(), load.inFlightLimit(), load.promptBytes(),
                load.stream(), load.workerXmx(), load.byteBudget(), load.intakeMode(), properties));
    }

    boolean isShare() {
        return "share".equals(load.intakeMode());
    }

    private Scenario withLoad(Load newLoad) {
        return new Scenario(id, varies, kind, newLoad, jobs, target, warmUpShare, peers);
    }

    /** The most jobs/s the in-flight limit allows at this latency (none at zero latency). */
    double ceiling() {
        return latency().isZero() ? Double.POSITIVE_INFINITY : inFlightLimit() * 1000.0 / latency().toMillis();
    }

    /** What the baseline's result depends on; scenarios with equal keys share one baseline run. */
    String baselineKey() {
        return latency().toMillis() + "ms-" + partitions() + "p-" + promptBytes() + "B";
    }
}
