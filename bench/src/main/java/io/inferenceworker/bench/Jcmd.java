package io.inferenceworker.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** Diagnostic commands sent to a forked JVM with the JDK's {@code jcmd}. Thread-safe (immutable). */
final class Jcmd {
    private final Path jcmd;

    Jcmd(Path javaHome) {
        this.jcmd = Objects.requireNonNull(javaHome, "javaHome").resolve("bin").resolve("jcmd");
    }

    /** Name of the benchmark's flight recording in the forked JVM. */
    private static final String RECORDING = "bench";

    /**
     * Starts a flight recording ({@code settings=profile}) in {@code pid}: started once the worker is warm, so that
     * the profile shows the steady state rather than class loading and JIT compilation; false if that failed.
     */
    boolean startFlightRecording(long pid) {
        return run(pid, "JFR.start", "name=" + RECORDING, "settings=profile") != null;
    }

    /** Writes the flight recording started by {@link #startFlightRecording} to {@code file}; false if that failed. */
    boolean dumpFlightRecording(long pid, Path file) {
        return run(pid, "JFR.dump", "name=" + RECORDING, "filename=" + file.toAbsolutePath()) != null;
    }

    /**
     * A class histogram of the live objects of {@code pid} (jcmd runs a full GC first), or null if it failed.
     */
    HeapHistogram classHistogram(long pid) {
        String text = run(pid, "GC.class_histogram");
        return text == null ? null : HeapHistogram.parse(text);
    }

    private String run(long pid, String... command) {
        List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
