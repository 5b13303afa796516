package io.inferenceworker.faults;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Bounded waits for conditions that other processes make true, polled every 100 ms. */
final class Waits {
    private static final long POLL_MILLIS = 100;

    private Waits() {
    }

    /** Waits until {@code condition} holds or {@code timeout} passes; returns whether it held. */
    static boolean until(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
        return true;
    }

    /** Holds an injected fault (an outage) for {@code duration}: the fault's length, not a synchronisation. */
    static void hold(Duration duration) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(duration.toMillis());
    }
}
