package io.inferenceworker.demo;

import io.inferenceworker.cli.ProducerExample;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Writes {@code producer-example}, a shell script that runs the CLI (with this JVM's Java and the demo's classpath)
 * against the running demo: {@code KAFKA_BOOTSTRAP_SERVERS} and {@code SCHEMA_REGISTRY_URL} default to the demo's
 * addresses. It saves the user Maven's start-up on every command. Stateless.
 */
final class CliLauncher {
    private CliLauncher() {
    }

    /**
     * @return the script, or empty when the classpath cannot be determined
     * @throws UncheckedIOException when the script cannot be written
     */
    static Optional<Path> write(Path workDir, String bootstrapServers, String registryUrl) {
        List<String> classpath = classpath();
        if (classpath.isEmpty()) {
            return Optional.empty();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        String script = """
                #!/bin/sh
                # producer-example against the running demo; written by the demo at each start.
                : "${KAFKA_BOOTSTRAP_SERVERS:=%s}"
                : "${SCHEMA_REGISTRY_URL:=%s}"
                export KAFKA_BOOTSTRAP_SERVERS SCHEMA_REGISTRY_URL
                exec '%s' --enable-native-access=ALL-UNNAMED -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \\
                  -cp '%s' %s "$@"
                """.formatted(bootstrapServers, registryUrl, java, String.join(File.pathSeparator, classpath),
                ProducerExample.class.getName());
        Path file = workDir.resolve("producer-example");
        try {
            Files.createDirectories(workDir);
            Files.writeString(file, script, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException notPosix) {
                return Optional.empty(); // e.g. Windows: the Maven command is printed instead
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return Optional.of(file);
    }

    /** The CLI's own entry first (so its quiet logging configuration wins), then the rest of the demo's classpath. */
    private static List<String> classpath() {
        Set<String> entries = new LinkedHashSet<>();
        location(ProducerExample.class).ifPresent(entries::add);
        if (CliLauncher.class.getClassLoader() instanceof URLClassLoader loader) {
            for (URL url : loader.getURLs()) {
                path(url).ifPresent(entries::add);
            }
        } else {
            entries.addAll(List.of(System.getProperty("java.class.path", "").split(File.pathSeparator)));
        }
        location(Demo.class).ifPresent(entries::remove); // the demo's own logging configuration is for the demo
        entries.removeIf(String::isBlank);
        return new ArrayList<>(entries);
    }

    private static Optional<String> location(Class<?> type) {
        return Optional.ofNullable(type.getProtectionDomain().getCodeSource())
                .flatMap(source -> path(source.getLocation()));
    }

    private static Optional<String> path(URL url) {
        try {
            return Optional.of(Path.of(url.toURI()).toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
