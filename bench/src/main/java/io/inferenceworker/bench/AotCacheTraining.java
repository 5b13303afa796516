package io.inferenceworker.bench;

import io.inferenceworker.testkit.JvmForks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains a JDK 25 AOT cache (JEP 483/514/515: classes loaded and linked, method profiles) for the worker's
 * distribution jar, the way the benchmark trains the one it starts the worker from: starts the benchmark's
 * embedded stack (broker, schema registry, provider simulator), runs the stack warm-up's jobs at 0 ms through
 * {@code java -XX:AOTCacheOutput=<cache> -jar <jar>}, and stops the worker, which writes the cache as it exits.
 *
 * <p>The container image runs it at build time ({@code Dockerfile}), on the image's own JRE and jar path: a cache is
 * used only by the JVM build that wrote it, with the class path it was trained on. Training on the simulator rather
 * than on production traffic leaves out only the code of other dialects and features, which then warm up as before.
 * Measured on the benchmark (30,000 jobs at 50 ms, 2 cores, five runs): start to 90 % of the steady rate
 * 9.5-16.2 s -> 4.6-7.0 s.
 */
@Command(name = "train-aot-cache", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Trains a JDK 25 AOT cache for inference-worker.jar on the embedded stack.")
public final class AotCacheTraining implements Callable<Integer> {
    @Option(names = "--worker-jar", required = true, paramLabel = "JAR",
            description = "the distribution jar, at the path the cache will be used with")
    Path workerJar;

    @Option(names = "--cache", required = true, paramLabel = "FILE", description = "the AOT cache to write")
    Path cache;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "30000",
            description = "jobs sent through the worker while it trains; default ${DEFAULT-VALUE}")
    int jobs;

    public static void main(String[] args) {
        // The stack's warnings to a file, as in the benchmark (outside Maven nothing else sets it, and the worker's
        // own logback.xml, on this class path too, would log the broker at INFO on the console).
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "bench-logback.xml");
        }
        Bench.simulatorServerSettings();
        System.exit(new CommandLine(new AotCacheTraining()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(workerJar)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "no worker jar at " + workerJar);
        }
        Files.deleteIfExists(cache);
        Path logDir = Files.createTempDirectory("iw-aot-training-");
        Scenario training = Scenarios.stackWarmUp(true).withJobs(jobs);
        Bench.log("training %s: %,d jobs at 0 ms through %s; its log is in %s", cache, jobs, workerJar, logDir);
        long started = System.nanoTime();
        try (BenchStack stack = BenchStack.start()) {
            JvmForks forks = new JvmForks(logDir);
            Launcher launcher = new Launcher(forks, stack, logDir, Map.of()).withDistribution(workerJar, cache);
            ScenarioRunner runner = new ScenarioRunner(stack, launcher, new Jcmd(forks.javaHome()),
                    Duration.ofSeconds(12), null, UUID.randomUUID().toString().substring(0, 6));
            try {
                Measurement m = runner.preProduced(training, ScenarioRunner.Contender.WORKER, false);
                Bench.log("the worker served %,d jobs at %,.0f jobs/s %s", m.completed(), m.jobsPerSecond(), m.note());
            } finally {
                runner.close();
            }
        }
        if (!Files.isRegularFile(cache) || Files.size(cache) == 0) {
            Bench.log("no AOT cache was written: see the worker's log in %s", logDir);
            return 1;
        }
        Bench.log("wrote %s (%,d MB) in %d s", cache, Files.size(cache) >> 20,
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
        return 0;
    }
}
