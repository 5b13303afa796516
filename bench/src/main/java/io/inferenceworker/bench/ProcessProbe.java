package io.inferenceworker.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples a forked JVM every {@value #PERIOD_MS} ms: its CPU time (utime + stime from {@code /proc/<pid>/stat}), its
 * peak resident set size ({@code VmHWM} from {@code /proc/<pid>/status}) and,
 * every {@value #SCRAPE_EVERY}th sample when it serves {@code /prometheus}, its heap in use
 * ({@code jvm_memory_used_bytes{area="heap"}}, summed over pools), the old generation's live size after the last GC
 * ({@code jvm_gc_live_data_size_bytes}) and {@code inference_jobs_in_flight}.
 *
 * <p>Thread-safety: one sampling thread writes; the accessors may be called from any thread.
 */
final class ProcessProbe implements AutoCloseable {
    static final int PERIOD_MS = 200;
    /**
     * {@code /prometheus} is scraped every this many samples (every second): rendering its ~750 lines costs the
     * measured worker CPU, unlike reading {@code /proc}.
     */
    static final int SCRAPE_EVERY = 5;
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux, fixed at 100 for /proc

    /** One sample; heap, live and in-flight are -1 when the process has no metrics endpoint (or it did not answer). */
    record Sample(long wallMillis, long cpuMillis, long heapBytes, long liveBytes, long inFlight) {
    }

    private final long pid;
    private final URI metrics;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    /** Samples taken, to scrape the metrics every {@value #SCRAPE_EVERY}th: written by the sampling thread only. */
    private int sampled;
    /** The process's peak resident set ({@code VmHWM}) at the latest sample, -1 before it was read. */
    private volatile long peakRssBytes = -1;

    /** @param metricsPort the process's HTTP port serving {@code /prometheus}, or 0 for none */
    ProcessProbe(long pid, int metricsPort) {
        this.pid = pid;
        this.metrics = metricsPort > 0 ? URI.create("http://127.0.0.1:" + metricsPort + "/prometheus") : null;
        this.thread = Thread.ofPlatform().name("probe-" + pid).daemon().start(this::loop);
    }

    private void loop() {
        long next = System.nanoTime();
        while (running) {
            sample();
            next += PERIOD_MS * 1_000_000L;
            long wait;
            while (running && (wait = next - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    private void sample() {
        long cpu = cpuMillis(pid);
        if (cpu < 0) {
            return;
        }
        // The kernel keeps the high-water mark, so the latest reading is the peak; read each time because the last
        // one before the process ends is the one that counts.
        peakRssBytes = Math.max(peakRssBytes, peakRssBytes(pid));
        long heap = -1;
        long live = -1;
        long inFlight = -1;
        if (metrics != null && sampled++ % SCRAPE_EVERY == 0) {
            String text = scrape();
            if (text != null) {
                heap = 0;
                for (String line : text.split("\n")) {
                    if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                        heap += (long) value(line);
                    } else if (line.startsWith("jvm_gc_live_data_size_bytes")) {
                        live = (long) value(line);
                    } else if (line.startsWith("inference_jobs_in_flight ")
                            || line.startsWith("inference_jobs_in_flight{")) {
                        // not inference_jobs_in_flight_limit
                        inFlight = Math.max(inFlight, 0) + (long) value(line);
                    }
                }
            }
        }
        samples.add(new Sample(System.currentTimeMillis(), cpu, heap, live, inFlight));
    }

    private String scrape() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(2))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    /** CPU time (user + system) of process {@code pid} in ms, or -1 when it is gone. */
    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name (which may hold spaces) start at field 3 (state); utime is 14, stime 15.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 1000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Peak resident set size of process {@code pid} ({@code VmHWM} in {@code /proc/<pid>/status}), or -1. */
    static long peakRssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    // "VmHWM:\t  123456 kB"
                    String kb = line.substring("VmHWM:".length()).replace("kB", "").strip();
                    return Long.parseLong(kb) * 1024;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The highest peak resident set size read ({@code VmHWM}), -1 when never read. */
    long peakRssBytes() {
        return peakRssBytes;
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    long peakHeapBytes() {
        return samples.stream().mapToLong(Sample::heapBytes).max().orElse(-1);
    }

    long peakLiveBytes() {
        return samples.stream().mapToLong(Sample::liveBytes).max().orElse(-1);
    }

    /** In flight at the last metrics scrape (-1 before the first). */
    long latestInFlight() {
        List<Sample> all = samples();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).inFlight() >= 0) {
                return all.get(i).inFlight();
            }
        }
        return -1;
    }

    long peakInFlight() {
        return samples.stream().mapToLong(Sample::inFlight).max().orElse(-1);
    }

    /** CPU time at {@code wallMillis}, interpolated between the samples around it (-1 without samples). */
    long cpuMillisAt(long wallMillis) {
        List<Sample> all = samples();
        if (all.isEmpty()) {
            return -1;
        }
        Sample before = all.getFirst();
        for (Sample s : all) {
            if (s.wallMillis() >= wallMillis) {
                if (s.wallMillis() == before.wallMillis()) {
                    return s.cpuMillis();
                }
                double f = (double) (wallMillis - before.wallMillis()) / (s.wallMillis() - before.wallMillis());
                return before.cpuMillis() + Math.round(f * (s.cpuMillis() - before.cpuMillis()));
            }
            before = s;
        }
        return before.cpuMillis();
    }

    /** Takes one last sample and stops sampling. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
    }
}
