package io.inferenceworker.faults;

import io.inferenceworker.testkit.JvmForks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The worker of one scenario across its restarts: starts it, kills or stops it and starts its successor, and keeps
 * what happened (the jobs in flight at each kill, stops that needed SIGKILL, non-zero exits) for the scenario's row.
 * Not thread-safe: the scenario thread drives it.
 */
final class Workers {
    /** A SIGTERMed worker must exit within its shutdown grace plus this. */
    static final Duration EXIT_MARGIN = Duration.ofSeconds(15);

    private final JvmForks jvms;
    private final String run;
    private final Map<String, Object> properties;
    private final List<Integer> inFlightAtKills = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private WorkerProcess current;
    private int generation;

    Workers(JvmForks jvms, String run, Map<String, Object> properties) {
        this.jvms = Objects.requireNonNull(jvms, "jvms");
        this.run = Objects.requireNonNull(run, "run");
        this.properties = Map.copyOf(properties);
    }

    void start() {
        generation++;
        current = WorkerProcess.start(jvms, run + "-worker-" + generation, properties);
    }

    /** SIGKILL, then a new worker; {@code inFlight} counts the jobs in flight at the kill. */
    void killAndRestart(InFlightAtKill inFlight) throws InterruptedException {
        int running = current.inFlight().orElse(Integer.parseInt(properties.get("worker.in-flight-limit").toString()));
        inFlight.beforeKill();
        current.kill();
        inFlightAtKills.add(inFlight.afterKill(running));
        start();
    }

    /** SIGTERM (a graceful stop, which must end within the grace plus a margin), then a new worker. */
    void terminateAndRestart() throws InterruptedException {
        stop();
        start();
    }

    /** SIGTERM the current worker; notes a stop that needed SIGKILL or a non-zero exit code. */
    void stop() throws InterruptedException {
        if (current == null) {
            return;
        }
        WorkerProcess.Exit exit = current.terminate(SuiteSettings.SHUTDOWN_GRACE.plus(EXIT_MARGIN));
        if (!exit.inTime()) {
            notes.add("worker " + generation + " needed SIGKILL after SIGTERM");
        } else if (exit.code() != 0) {
            notes.add("worker " + generation + " exited " + exit.code());
        }
        current = null;
    }

    /** Whether the current worker died by itself. */
    boolean crashed() {
        return current != null && !current.alive();
    }

    /** The jobs in flight at the kills, summed; -1 when there was no kill. */
    int inFlightAtKills() {
        return inFlightAtKills.isEmpty() ? -1 : inFlightAtKills.stream().mapToInt(Integer::intValue).sum();
    }

    List<String> notes() {
        return List.copyOf(notes);
    }
}
