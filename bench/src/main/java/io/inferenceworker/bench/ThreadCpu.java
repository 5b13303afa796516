package io.inferenceworker.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of a process by thread, from {@code /proc/<pid>/task/<tid>/stat}: unlike a Java profiler this sees the
 * JIT compiler, the GC and the VM threads too. Threads are grouped by name with digits replaced by {@code N}
 * (Linux keeps the first 15 characters of a name).
 *
 * @param byThread CPU ms per thread id, with its name
 * @param totalMs  the process's CPU ms at the same moment
 */
record ThreadCpu(Map<Long, Named> byThread, long totalMs) {
    private static final long TICKS_PER_SECOND = 100;

    /** One thread's name and CPU time. */
    record Named(String name, long cpuMs) {
    }

    /** The threads of {@code pid} now; empty when the process is gone. */
    static ThreadCpu snapshot(long pid) {
        Map<Long, Named> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    threads.put(Long.parseLong(task.getFileName().toString()),
                            new Named(name, ticks * 1000 / TICKS_PER_SECOND));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return new ThreadCpu(Map.of(), -1);
        }
        return new ThreadCpu(threads, ProcessProbe.cpuMillis(pid));
    }

    /**
     * CPU ms spent from {@code before} to this snapshot per thread group, largest first; threads that ended in
     * between are reported together as {@code (ended threads)}.
     */
    Map<String, Long> since(ThreadCpu before) {
        Map<String, Long> groups = new HashMap<>();
        long sum = 0;
        for (Map.Entry<Long, Named> t : byThread.entrySet()) {
            Named earlier = before.byThread().get(t.getKey());
            long delta = t.getValue().cpuMs() - (earlier == null ? 0 : earlier.cpuMs());
            if (delta > 0) {
                groups.merge(group(t.getValue().name()), delta, Long::sum);
                sum += delta;
            }
        }
        long ended = totalMs - before.totalMs() - sum;
        if (ended > 0) {
            groups.merge("(ended threads)", ended, Long::sum);
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static String group(String name) {
        return name.replaceAll("[0-9]+", "N");
    }
}
