package io.inferenceworker;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import sun.misc.Signal;

/**
 * Entry point of the worker.
 *
 * <p>SIGTERM and SIGINT close the application context — the intake stops, in-flight jobs get
 * {@code worker.shutdown-grace} to finish, offsets are committed, the producer is flushed — and the process then exits
 * with status 0: a graceful stop is a success, whereas the JVM's default for a signal (143) reads as a crash to
 * orchestrators.
 *
 * <p>The JDK {@code HttpClient}'s read buffer ({@code jdk.httpclient.bufsize}) defaults here to {@value
 * #DEFAULT_HTTP_CLIENT_BUFFER} bytes instead of the JDK's 16 KB, unless set: over HTTP/1.1 every call in flight has a
 * connection of its own, and each connection keeps one such buffer while it waits for the answer — 160 MB for 10,000
 * calls at 16 KB (measured with {@code bench/}, scenario {@code heap-8k-10000}). Answers larger than the buffer are
 * read in more reads.
 */
public final class Application {
    static final int DEFAULT_HTTP_CLIENT_BUFFER = 4096;
    private static final String HTTP_CLIENT_BUFFER_PROPERTY = "jdk.httpclient.bufsize";

    private Application() {
    }

    public static void main(String[] args) {
        if (System.getProperty(HTTP_CLIENT_BUFFER_PROPERTY) == null) {
            // Read once, when the JDK's HTTP client classes load: before anything uses them.
            System.setProperty(HTTP_CLIENT_BUFFER_PROPERTY, String.valueOf(DEFAULT_HTTP_CLIENT_BUFFER));
        }
        ApplicationContext context = Micronaut.run(Application.class, args);
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                context.close();
                System.exit(0);
            });
        }
    }
}
