package io.inferenceworker.faults;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Starts JVMs of their own (the worker, the broker) on this JVM's JDK and class path; the class path holds the
 * worker's runtime class path because this module depends on the worker. Under {@code exec:java} the class path is
 * the exec plugin's class loader's URLs (not {@code java.class.path}, which is Maven's launcher). Each process's
 * output goes to {@code <logDir>/<name>.log}. Thread-safe (immutable).
 */
final class Jvms {
    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private final String classPath = classPath();
    private final Path logDir;

    Jvms(Path logDir) {
        this.logDir = Objects.requireNonNull(logDir, "logDir");
    }

    Path logDir() {
        return logDir;
    }

    /** Starts {@code mainClass} with the JVM options, {@code properties} as {@code -D} options, and {@code args}. */
    Process start(String name, String mainClass, List<String> jvmOptions, Map<String, ?> properties,
                  List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(jvmOptions);
        new TreeMap<>(properties).forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(args);
        try {
            Files.createDirectories(logDir);
            File log = logDir.resolve(name + ".log").toFile();
            return new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass, e);
        }
    }

    /** A free TCP port on the loopback address. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static String classPath() {
        if (Jvms.class.getClassLoader() instanceof URLClassLoader loader && loader.getURLs().length > 0) {
            Set<String> entries = new LinkedHashSet<>();
            for (URL url : loader.getURLs()) {
                entries.add(toPath(url));
            }
            return String.join(File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    private static String toPath(URL url) {
        try {
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return url.getPath();
        }
    }
}
