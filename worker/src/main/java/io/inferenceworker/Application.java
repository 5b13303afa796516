package io.inferenceworker;

import io.inferenceworker.config.WorkerSettings;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Entry point of the worker.
 *
 * <p>SIGTERM and SIGINT close the application context — the intake stops, in-flight jobs get
 * {@code worker.shutdown-grace} to finish, offsets are committed, the producer is flushed — and the process then exits
 * with status 0: a graceful stop is a success, whereas the JVM's default for a signal (143) reads as a crash to
 * orchestrators.
 *
 * <p>The stop is bounded: every step of it has a timeout of its own (Kafka unreachable included), and a last-resort
 * watchdog halts the JVM with status {@value #SHUTDOWN_OVERRUN_STATUS} if closing the context takes longer than the
 * grace period plus {@link #SHUTDOWN_MARGIN}, so that the process is gone before an orchestrator granted grace + 15 s
 * kills it. What was not committed by then is replayed by the next owner (at-least-once).
 *
 * <p>The JDK {@code HttpClient}'s read buffer ({@code jdk.httpclient.bufsize}) defaults here to {@value
 * #DEFAULT_HTTP_CLIENT_BUFFER} bytes instead of the JDK's 16 KB, unless set: over HTTP/1.1 every call in flight has a
 * connection of its own, and each connection keeps one such buffer while it waits for the answer — 160 MB for 10,000
 * calls at 16 KB (measured with {@code bench/}, scenario {@code heap-8k-10000}). Answers larger than the buffer are
 * read in more reads.
 */
public final class Application {
    static final int DEFAULT_HTTP_CLIENT_BUFFER = 4096;
    /** Time allowed beyond {@code worker.shutdown-grace} for committing and closing clients, then the JVM halts. */
    static final Duration SHUTDOWN_MARGIN = Duration.ofSeconds(9);
    static final int SHUTDOWN_OVERRUN_STATUS = 70;
    private static final String HTTP_CLIENT_BUFFER_PROPERTY = "jdk.httpclient.bufsize";
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

    private Application() {
    }

    public static void main(String[] args) {
        if (System.getProperty(HTTP_CLIENT_BUFFER_PROPERTY) == null) {
            // Read once, when the JDK's HTTP client classes load: before anything uses them.
            System.setProperty(HTTP_CLIENT_BUFFER_PROPERTY, String.valueOf(DEFAULT_HTTP_CLIENT_BUFFER));
        }
        ApplicationContext context = Micronaut.run(Application.class, args);
        Duration grace = context.getProperty("worker.shutdown-grace", Duration.class)
                .orElse(WorkerSettings.DEFAULT_SHUTDOWN_GRACE);
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                armWatchdog(grace.plus(SHUTDOWN_MARGIN));
                context.close();
                System.exit(0);
            });
        }
    }

    /** Halts the JVM if it is still running after {@code deadline}: shutdown must not hang on an unreachable peer. */
    private static void armWatchdog(Duration deadline) {
        Thread.ofPlatform().daemon().name("shutdown-watchdog").start(() -> {
            try {
                Thread.sleep(deadline);
            } catch (InterruptedException e) {
                return;
            }
            LOG.error("Shutdown did not finish within {} (worker.shutdown-grace + {}): halting; what was not "
                    + "committed is replayed by the next owner", deadline, SHUTDOWN_MARGIN);
            Runtime.getRuntime().halt(SHUTDOWN_OVERRUN_STATUS);
        });
    }
}
