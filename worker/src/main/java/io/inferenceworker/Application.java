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
 */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        ApplicationContext context = Micronaut.run(Application.class, args);
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                context.close();
                System.exit(0);
            });
        }
    }
}
