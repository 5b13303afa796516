package io.inferenceworker.faults;

import io.inferenceworker.testkit.JvmForks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The worker distribution run as an operator runs it: {@code java -jar inference-worker.jar} in a process of its own,
 * whose environment holds nothing but {@code MICRONAUT_CONFIG_FILES} and the variables given (the API keys): no
 * {@code -D} setting, no inherited {@code KAFKA_*} or {@code WORKER_*} variable, so everything else must come from the
 * config file. Standard output and standard error go, merged, to one file. Not thread-safe.
 */
final class DistributionProcess implements AutoCloseable {
    /** One answer of a health endpoint. */
    record Health(int status, String body) {
        boolean up() {
            return status == 200 && body.contains("\"status\":\"UP\"");
        }
    }

    private final Process process;
    private final Path output;
    private final int httpPort;

    private DistributionProcess(Process process, Path output, int httpPort) {
        this.process = process;
        this.output = output;
        this.httpPort = httpPort;
    }

    /**
     * Starts {@code java [jvmOptions] -jar jar} on the forks' JDK with {@code MICRONAUT_CONFIG_FILES=configFile} plus
     * {@code environment} as its whole environment; its output goes to the forks' {@code worker.log}.
     *
     * @param httpPort the port the config file gives {@code micronaut.server.port}, where health is asked
     */
    static DistributionProcess start(JvmForks forks, Path jar, List<String> jvmOptions, Path configFile,
                                     Map<String, String> environment, int httpPort) {
        Objects.requireNonNull(jar, "jar");
        Map<String, String> all = new HashMap<>();
        all.put("MICRONAUT_CONFIG_FILES", configFile.toString());
        all.putAll(environment);
        return new DistributionProcess(forks.startJar("worker", jar, jvmOptions, all), forks.log("worker"), httpPort);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** {@code GET /health/readiness}; status 0 when the server does not answer (yet). */
    Health readiness() throws InterruptedException {
        try {
            HttpResponse<String> response = WorkerProcess.get(httpPort, "/health/readiness", Duration.ofSeconds(5));
            return new Health(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Health(0, e.toString());
        }
    }

    /** SIGTERM; SIGKILL if the process has not exited within {@code allowed}. */
    WorkerProcess.Exit terminate(Duration allowed) throws InterruptedException {
        return WorkerProcess.terminate(process, allowed);
    }

    /** Everything the process printed so far, standard output and standard error. */
    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + output, e);
        }
    }

    /** The last {@code lines} lines of {@link #output()}, for failure messages. */
    String outputTail(int lines) {
        List<String> all = output().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Kills the process if it still runs (a failed test). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
