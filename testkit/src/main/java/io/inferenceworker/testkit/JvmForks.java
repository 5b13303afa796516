package io.inferenceworker.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts JVMs of their own (the worker, a broker, a baseline consumer) on this JVM's JDK and class path, so that each
 * one's CPU time, heap and JIT are its own and it can be killed like a real deployment. Each process's output is
 * appended to {@code <logDir>/<name>.log}.
 *
 * <p>The class path is the one this class was loaded from: under {@code exec:java} that is the exec plugin's class
 * loader (not {@code java.class.path}, which is Maven's launcher), so that loader's URLs are used when it has any;
 * otherwise {@code java.class.path}. Thread-safe (immutable).
 */
public final class JvmForks {
    private final Path javaHome = Path.of(System.getProperty("java.home"));
    private final String classPath = classPath();
    private final Path logDir;

    public JvmForks(Path logDir) {
        this.logDir = Objects.requireNonNull(logDir, "logDir");
    }

    /** The JDK the forks run on ({@code java.home}). */
    public Path javaHome() {
        return javaHome;
    }

    /** Where each fork's output goes. */
    public Path logDir() {
        return logDir;
    }

    /** Starts {@code mainClass} with {@code jvmOptions}, the {@code properties} as {@code -D} options and {@code args}. */
    public Process start(String name, String mainClass, List<String> jvmOptions, Map<String, ?> properties,
                         List<String> args) {
        List<String> cmd = java(jvmOptions);
        new TreeMap<>(properties).forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(args);
        return launch(name, cmd, null);
    }

    /**
     * Starts {@code java [jvmOptions] -jar jar} with {@code environment} as its whole environment (nothing inherited),
     * as an operator runs a distribution.
     */
    public Process startJar(String name, Path jar, List<String> jvmOptions, Map<String, String> environment) {
        List<String> cmd = java(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar.toString());
        return launch(name, cmd, Objects.requireNonNull(environment, "environment"));
    }

    /** The output log of fork {@code name}. */
    public Path log(String name) {
        return logDir.resolve(name + ".log");
    }

    private List<String> java(List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaHome.resolve("bin").resolve("java").toString());
        cmd.addAll(jvmOptions);
        return cmd;
    }

    /** Starts {@code cmd}, output appended to its log; {@code environment}, when given, replaces the inherited one. */
    private Process launch(String name, List<String> cmd, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile()));
        if (environment != null) {
            builder.environment().clear();
            builder.environment().putAll(environment);
        }
        try {
            Files.createDirectories(logDir);
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Asks the process to stop (SIGTERM), then kills it (SIGKILL) if it has not within {@code grace}. */
    public static void stop(Process process, Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** A free TCP port on the loopback address. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static String classPath() {
        // Only the loader of this class: its parents (Maven's own realms under exec:java) are not the project's.
        if (JvmForks.class.getClassLoader() instanceof URLClassLoader loader && loader.getURLs().length > 0) {
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
