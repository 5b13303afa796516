package io.inferenceworker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The machine a run came from: CPUs, memory, CPU model, OS, JDK, and the load average (other work on the host
 * distorts every figure). Read from {@code /proc} and {@code /etc/os-release} where present.
 *
 * @param cpus     processors available to the JVM ({@code nproc})
 * @param memory   total memory, e.g. "23.4 GiB"
 * @param cpuModel the CPU model name
 * @param os       distribution and kernel
 * @param jdk      vendor and version of the JDK the forks run on
 */
record MachineInfo(int cpus, String memory, String cpuModel, String os, String jdk) {

    static MachineInfo current() {
        long memKb = firstLine(Path.of("/proc/meminfo"), "MemTotal:")
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(-1L);
        String memory = memKb < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f GiB", memKb / 1024.0 / 1024.0);
        String cpu = firstLine(Path.of("/proc/cpuinfo"), "model name")
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(System.getProperty("os.arch"));
        String distro = firstLine(Path.of("/etc/os-release"), "PRETTY_NAME=")
                .map(l -> l.substring(l.indexOf('=') + 1).replace("\"", "")).orElse(System.getProperty("os.name"));
        String os = distro + ", kernel " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")";
        String jdk = System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.name") + " "
                + System.getProperty("java.runtime.version");
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), memory, cpu, os, jdk);
    }

    /** The 1-, 5- and 15-minute load averages, e.g. "0.52 0.40 0.99". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * The host's {@code TcpExt ListenOverflows} counter ({@code /proc/net/netstat}): connections dropped because a
     * listen queue was full, e.g. the simulator's under thousands of new connections; -1 when unknown.
     */
    static long listenOverflows() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("TcpExt:") && lines.get(i + 1).startsWith("TcpExt:")) {
                    List<String> keys = List.of(lines.get(i).split(" "));
                    String[] values = lines.get(i + 1).split(" ");
                    int at = keys.indexOf("ListenOverflows");
                    return at < 0 ? -1 : Long.parseLong(values[at]);
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static Optional<String> firstLine(Path file, String prefix) {
        try (var lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(prefix)).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
