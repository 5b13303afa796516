package io.inferenceworker.faults;

import io.inferenceworker.testkit.JvmForks;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One worker process: {@code io.inferenceworker.Application} in a JVM of its own, configured with {@code -D}
 * properties as in production, serving {@code /prometheus} on a free loopback port. Not thread-safe.
 */
final class WorkerProcess {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** How a stop went: whether the process exited by itself within the allowed time, and its exit code. */
    record Exit(boolean inTime, int code) {
    }

    private final Process process;
    private final int httpPort;

    private WorkerProcess(Process process, int httpPort) {
        this.process = process;
        this.httpPort = httpPort;
    }

    /** Starts worker {@code name} with {@code properties} (its HTTP port is added). */
    static WorkerProcess start(JvmForks jvms, String name, Map<String, Object> properties) {
        int port = JvmForks.freePort();
        Map<String, Object> p = new HashMap<>(properties);
        p.put("worker.id", name);
        p.put("micronaut.server.port", port);
        p.put("micronaut.server.host", "127.0.0.1");
        Process process = jvms.start(name, "io.inferenceworker.Application",
                List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError",
                        "--enable-native-access=ALL-UNNAMED"), p, List.of());
        return new WorkerProcess(process, port);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL, and waits (bounded) until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM; SIGKILL if the process has not exited within {@code allowed}. */
    Exit terminate(Duration allowed) throws InterruptedException {
        return terminate(process, allowed);
    }

    /** SIGTERM to {@code process}; SIGKILL if it has not exited within {@code allowed}. */
    static Exit terminate(Process process, Duration allowed) throws InterruptedException {
        process.destroy();
        if (process.waitFor(allowed.toMillis(), TimeUnit.MILLISECONDS)) {
            return new Exit(true, process.exitValue());
        }
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        return new Exit(false, process.isAlive() ? -1 : process.exitValue());
    }

    /** The worker's {@code inference_jobs_in_flight} gauge, or empty when it cannot be read right now. */
    OptionalInt inFlight() throws InterruptedException {
        try {
            HttpResponse<String> response = get(httpPort, "/prometheus", Duration.ofSeconds(3));
            if (response.statusCode() != 200) {
                return OptionalInt.empty();
            }
            return response.body().lines()
                    .filter(l -> l.startsWith("inference_jobs_in_flight"))
                    .map(l -> l.substring(l.lastIndexOf(' ') + 1))
                    .mapToInt(v -> (int) Double.parseDouble(v))
                    .findFirst();
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }

    /** {@code GET http://127.0.0.1:<port><path>}, bounded by {@code timeout}. */
    static HttpResponse<String> get(int port, String path, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(timeout).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public String toString() {
        return "worker pid " + pid();
    }

}
