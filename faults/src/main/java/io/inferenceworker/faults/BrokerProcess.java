package io.inferenceworker.faults;

import io.inferenceworker.testkit.JvmForks;
import io.inferenceworker.testkit.StandaloneKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The broker as a process of its own ({@link StandaloneKafka}): fixed loopback ports and data directory, so that
 * {@link #stop()} then {@link #start()} brings it back at the same address with the same topics, groups and offsets.
 * Not thread-safe: one scenario thread drives it.
 */
final class BrokerProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final JvmForks jvms;
    private final int port = JvmForks.freePort();
    private final int controllerPort = JvmForks.freePort();
    private final Path dataDir;
    private final Path logbackConfig;
    private Process process;

    BrokerProcess(JvmForks jvms, Path dataDir, Path logbackConfig) {
        this.jvms = Objects.requireNonNull(jvms, "jvms");
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        this.logbackConfig = Objects.requireNonNull(logbackConfig, "logbackConfig");
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker (formatting its data directory the first time) and returns once it serves clients. */
    void start() throws InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the broker runs already");
        }
        process = jvms.start("broker", StandaloneKafka.class.getName(),
                List.of("-Xmx768m", "-XX:+UseG1GC", "-XX:TieredStopAtLevel=1"),
                Map.of("logback.configurationFile", logbackConfig),
                List.of(Integer.toString(port), Integer.toString(controllerPort), dataDir.toString()));
        awaitReady();
    }

    /** SIGTERM (a controlled shutdown), SIGKILL if it has not exited within 30 s. */
    void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
        process = null;
    }

    Admin newAdmin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000"));
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = newAdmin()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the broker exited with " + process.exitValue() + ", see "
                            + jvms.logDir().resolve("broker.log"));
                }
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not up yet
                }
                TimeUnit.MILLISECONDS.sleep(250);
            }
        }
        throw new IllegalStateException("the broker did not serve clients within " + READY_TIMEOUT);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
