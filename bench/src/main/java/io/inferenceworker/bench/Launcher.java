package io.inferenceworker.bench;

import io.inferenceworker.testkit.JvmForks;
import io.inferenceworker.testkit.sim.Dialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Starts the contenders of a run in JVMs of their own: the worker ({@code io.inferenceworker.Application},
 * configured with {@code -D} properties as in production), the {@link BaselineConsumer} and the
 * {@link ParallelConsumerContender}. Thread-safe (immutable).
 *
 * <p>The worker runs as the container image runs it ({@code Dockerfile}): {@code java -XX:AOTCache=worker.aot -jar
 * inference-worker.jar}, the distribution jar with a JDK 25 AOT cache (loaded classes and method profiles, JEP
 * 483/514/515) that the run trained first ({@code aot-train}: the stack warm-up's worker, started with
 * {@code -XX:AOTCacheOutput}, writes it as it exits), as the image build trains its own ({@link AotCacheTraining}).
 * A scenario may set {@value #LAUNCH} (a benchmark setting, not passed on) to {@code classpath} (from the build's
 * class directories, as the benchmark ran before issue 15, and as the demo and the tests run the worker) or
 * {@code jar} (the distribution without a cache). An AOT cache needs a class path of jars only, hence the jar.
 */
final class Launcher {
    /** Heap of the baseline JVM; the worker's is the scenario's. */
    static final String BASELINE_HEAP = "-Xmx1g";
    /** The scenario setting that says how the worker is started: a {@link WorkerLaunch}, in lower case. */
    static final String LAUNCH = "bench.worker-launch";
    /** The scenario setting with extra JVM options of the worker, separated by spaces (experiments). */
    static final String JVM_OPTIONS = "bench.worker-jvm-options";

    /** How the worker is started. */
    enum WorkerLaunch {
        /** From the build's class path. */
        CLASSPATH,
        /** {@code java -jar} the distribution. */
        JAR,
        /** The distribution, writing an AOT cache as it exits. */
        AOT_TRAIN,
        /** The distribution with the AOT cache a training run wrote: as the image runs it, the default. */
        AOT;

        static final WorkerLaunch DEFAULT = AOT;

        /** The value of {@value #LAUNCH} that selects it. */
        String setting() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /** The launch a scenario's (or run's) settings select. */
        static WorkerLaunch of(Map<String, ?> settings) {
            return settings.containsKey(LAUNCH) ? of(settings.get(LAUNCH)) : DEFAULT;
        }

        static WorkerLaunch of(Object setting) {
            for (WorkerLaunch launch : values()) {
                if (launch.setting().equals(String.valueOf(setting))) {
                    return launch;
                }
            }
            throw new IllegalArgumentException(LAUNCH + " must be classpath, jar, aot-train or aot: " + setting);
        }
    }
    /** How long a stopped contender may take to exit; a training run also writes its AOT cache then. */
    static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final Duration AOT_TRAINING_STOP_GRACE = Duration.ofMinutes(3);

    /**
     * A started contender.
     *
     * @param process        its JVM
     * @param metricsPort    its {@code /prometheus} port, 0 when it serves no metrics
     * @param jfr            where its flight recording goes, or null
     * @param startedAtMillis wall clock just before it was forked: the start of its whole-run figures
     * @param stopGrace      how long it may take to exit once asked to stop
     */
    record Started(Process process, int metricsPort, Path jfr, long startedAtMillis, Duration stopGrace) {
        Started(Process process, int metricsPort, Path jfr, long startedAtMillis) {
            this(process, metricsPort, jfr, startedAtMillis, STOP_GRACE);
        }
    }

    private final JvmForks forks;
    private final BenchStack stack;
    private final Path jfrDir;
    private final Map<String, String> extraWorkerProperties;
    private final Supplier<Path> workerJar;
    private final Path aotCache;

    /**
     * The worker's distribution is the build's {@code worker/target/inference-worker.jar}, its AOT cache
     * {@code worker.aot} beside the contenders' logs (a temporary directory, not the output directory: it is ~100 MB).
     *
     * @param extraWorkerProperties worker configuration over the benchmark's (experiments only)
     */
    Launcher(JvmForks forks, BenchStack stack, Path jfrDir, Map<String, String> extraWorkerProperties) {
        this(forks, stack, jfrDir, extraWorkerProperties, Launcher::distributionJar,
                forks.logDir().resolve("worker.aot"));
    }

    private Launcher(JvmForks forks, BenchStack stack, Path jfrDir, Map<String, String> extraWorkerProperties,
                     Supplier<Path> workerJar, Path aotCache) {
        this.forks = Objects.requireNonNull(forks, "forks");
        this.stack = Objects.requireNonNull(stack, "stack");
        this.jfrDir = Objects.requireNonNull(jfrDir, "jfrDir");
        this.extraWorkerProperties = Map.copyOf(extraWorkerProperties);
        this.workerJar = Objects.requireNonNull(workerJar, "workerJar");
        this.aotCache = aotCache.toAbsolutePath();
    }

    /**
     * This launcher with the worker's distribution jar and AOT cache at the given places: an AOT cache is only used
     * by a JVM whose class path is the one it was trained with, so a cache for an image is trained on the jar at the
     * image's path ({@link AotCacheTraining}).
     */
    Launcher withDistribution(Path jar, Path cache) {
        Path absolute = jar.toAbsolutePath();
        return new Launcher(forks, stack, jfrDir, extraWorkerProperties, () -> absolute, cache);
    }

    /** Whether {@code scenario}'s worker starts from the run's AOT cache, which the run must then train first. */
    boolean startsFromAotCache(Scenario scenario) {
        Map<String, String> settings = new HashMap<>(scenario.load().workerProperties());
        settings.putAll(extraWorkerProperties);
        return WorkerLaunch.of(settings) == WorkerLaunch.AOT;
    }

    Started worker(Scenario scenario, RunTopics topics, boolean flightRecording) {
        int port = JvmForks.freePort();
        // Exits on OutOfMemoryError (code 3) rather than limping on: the run then ends at once, with a clear note.
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + scenario.load().workerXmx(), "-XX:+UseG1GC",
                "-XX:+ExitOnOutOfMemoryError"));
        Path jfr = null;
        if (flightRecording) {
            // Started (and dumped) with jcmd by ScenarioRunner: once the worker is warm, and before it is stopped (a
            // dump at exit is lost when a struggling worker has to be killed).
            jfr = jfrDir.resolve(scenario.id() + ".jfr").toAbsolutePath();
        }
        Map<String, Object> properties = workerProperties(scenario, topics, port);
        WorkerLaunch launch = WorkerLaunch.of(properties);
        properties.remove(LAUNCH);
        Object jvmOptions = properties.remove(JVM_OPTIONS);
        if (jvmOptions != null) {
            jvm.addAll(List.of(jvmOptions.toString().trim().split("\\s+")));
        }
        String name = topics.run() + "-worker";
        Duration grace = STOP_GRACE;
        switch (launch) {
            case CLASSPATH -> {
                // The jar's manifest says Enable-Native-Access (RocksDB, Netty); a class path needs the flag. The jar
                // must run without it: an AOT cache records it and refuses a JVM started otherwise.
                jvm.add("--enable-native-access=ALL-UNNAMED");
                long startedAt = System.currentTimeMillis();
                Process process = forks.start(name, "io.inferenceworker.Application", jvm, properties, List.of());
                return new Started(process, port, jfr, startedAt);
            }
            case JAR -> {
                // java -jar, nothing more
            }
            case AOT_TRAIN -> {
                jvm.add("-XX:AOTCacheOutput=" + aotCache);
                grace = AOT_TRAINING_STOP_GRACE;
            }
            case AOT -> {
                if (!Files.isRegularFile(aotCache)) {
                    throw new IllegalStateException("no AOT cache at " + aotCache + ": the run did not train one");
                }
                jvm.add("-XX:AOTCache=" + aotCache);
            }
        }
        properties.forEach((key, value) -> jvm.add("-D" + key + "=" + value));
        long startedAt = System.currentTimeMillis();
        Process process = forks.startJar(name, workerJar.get(), jvm, System.getenv());
        return new Started(process, port, jfr, startedAt, grace);
    }

    /**
     * The worker's distribution jar, which {@code ./mvnw package} (or install, or verify) builds; refused when a class
     * of the worker was compiled after it, so that a run never measures yesterday's worker.
     */
    static Path distributionJar() {
        for (Path worker : List.of(Path.of("worker"), Path.of("../worker"))) {
            Path jar = worker.resolve("target/inference-worker.jar");
            if (!Files.isRegularFile(jar)) {
                continue;
            }
            try (var classes = Files.walk(worker.resolve("target/classes"))) {
                FileTime built = Files.getLastModifiedTime(jar);
                if (classes.anyMatch(c -> c.toString().endsWith(".class") && modifiedAfter(c, built))) {
                    throw new IllegalStateException(jar.toAbsolutePath() + " is older than the worker's classes: "
                            + "build it with ./mvnw -q -pl bench -am package -DskipTests (see bench/README.md)");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return jar.toAbsolutePath();
        }
        throw new IllegalStateException("worker/target/inference-worker.jar is missing: build it with "
                + "./mvnw -q -pl bench -am package -DskipTests (see bench/README.md)");
    }

    private static boolean modifiedAfter(Path file, FileTime time) {
        try {
            return Files.getLastModifiedTime(file).compareTo(time) > 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The worker's configuration: the run's topics and group, the simulator as provider {@code sim}. */
    private Map<String, Object> workerProperties(Scenario scenario, RunTopics topics, int port) {
        Map<String, Object> p = new HashMap<>();
        p.put("kafka.bootstrap-servers", stack.kafka().bootstrapServers());
        p.put("kafka.group-id", topics.group());
        p.put("schema-registry.url", stack.registry().url());
        p.put("topics.requests", topics.requests());
        p.put("topics.results", topics.results());
        p.put("topics.usage", topics.usage());
        p.put("topics.chunks", topics.chunks());
        p.put("topics.dead-letters", topics.deadLetters());
        p.put("topics.vote-requests", topics.voteRequests());
        p.put("topics.votes", topics.votes());
        p.put("worker.id", topics.run());
        p.put("worker.in-flight-limit", scenario.inFlightLimit());
        p.put("worker.intake-mode", scenario.load().intakeMode());
        if (!scenario.load().byteBudget()) {
            // room for every job the limit admits, envelope and key included: the job count alone binds
            p.put("worker.in-flight-bytes-limit", (long) scenario.inFlightLimit() * (scenario.promptBytes() + 4096));
        }
        p.put("worker.shutdown-grace", "5s");
        p.put("micronaut.server.port", port);
        p.put("providers." + RequestFeeder.PROVIDER + ".type", "openai");
        p.put("providers." + RequestFeeder.PROVIDER + ".base-url", stack.simulator().baseUrl(Dialect.OPENAI));
        p.put("providers." + RequestFeeder.PROVIDER + ".max-concurrency", Math.max(4096, scenario.inFlightLimit()));
        scenario.load().workerProperties().forEach((key, value) ->
                p.put(key, value.replace(OtlpSink.PLACEHOLDER, stack.otlp().url())));
        p.putAll(extraWorkerProperties);
        return p;
    }

    Started baseline(RunTopics topics) {
        return plain(topics, "baseline", BaselineConsumer.class, List.of(BASELINE_HEAP, "-XX:+UseG1GC"),
                List.of("--threads", Integer.toString(topics.partitions())));
    }

    /** Parallel Consumer in the worker's heap flags for this scenario, {@code maxConcurrency} = its in-flight limit. */
    Started parallelConsumer(Scenario scenario, RunTopics topics) {
        return plain(topics, "parallel-consumer", ParallelConsumerContender.class,
                List.of("-Xmx" + scenario.load().workerXmx(), "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError"),
                List.of("--max-concurrency", Integer.toString(scenario.inFlightLimit())));
    }

    /** A contender without metrics or flight recording, given the run's topics, group, registry and simulator. */
    private Started plain(RunTopics topics, String name, Class<?> main, List<String> heap, List<String> extraArgs) {
        List<String> jvm = new ArrayList<>(heap);
        jvm.add("--enable-native-access=ALL-UNNAMED");
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers", stack.kafka().bootstrapServers(),
                "--registry-url", stack.registry().url(),
                "--requests", topics.requests(),
                "--results", topics.results(),
                "--group", topics.group(),
                "--provider-url", stack.simulator().baseUrl(Dialect.OPENAI)));
        args.addAll(extraArgs);
        long startedAt = System.currentTimeMillis();
        Process process = forks.start(topics.run() + "-" + name, main.getName(), jvm, Map.of(), args);
        return new Started(process, 0, null, startedAt);
    }
}
