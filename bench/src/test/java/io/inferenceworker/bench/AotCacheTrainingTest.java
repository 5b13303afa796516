package io.inferenceworker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferenceworker.testkit.JvmForks;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The container image trains its AOT cache with {@link AotCacheTraining} at build time and starts the worker from it
 * with its {@code ENTRYPOINT}; no Docker engine is needed to check that the two fit: this trains a cache the same
 * way, then runs the Dockerfile's own {@code ENTRYPOINT} and {@code JAVA_TOOL_OPTIONS} (its paths mapped to these)
 * with {@code -XX:AOTMode=on}, under which the JVM refuses to start rather than start without the cache.
 */
class AotCacheTrainingTest {
    private static final Path DOCKERFILE = Path.of("../Dockerfile");
    private static final String IMAGE_JAR = "/app/inference-worker.jar";
    private static final String IMAGE_CACHE = "/app/worker.aot";

    @Test
    void theImagesEntrypointStartsTheWorkerFromTheCacheTheTrainingWrites(@TempDir Path dir) throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "AOT caches with -XX:AOTCacheOutput need JDK 25");
        Path jar = Files.copy(Launcher.distributionJar(), dir.resolve("inference-worker.jar"));
        Path cache = dir.resolve("worker.aot");

        int exit = new CommandLine(new AotCacheTraining())
                .execute("--worker-jar", jar.toString(), "--cache", cache.toString(), "--jobs", "2000");

        assertThat(exit).as("AotCacheTraining's exit status").isZero();
        assertThat(cache).isRegularFile();
        assertThat(Files.size(cache)).as("cache size").isGreaterThan(10_000_000L);

        String dockerfile = Files.readString(DOCKERFILE);
        int workerStage = dockerfile.indexOf("AS worker");
        assertThat(workerStage).as("the Dockerfile's worker stage").isNotNegative();
        assertThat(dockerfile.substring(workerStage)).as("the image trains its cache at the path it runs with")
                .contains("AotCacheTraining").contains("--worker-jar " + IMAGE_JAR).contains("--cache " + IMAGE_CACHE);
        List<String> command = new ArrayList<>();
        for (String arg : entrypoint(dockerfile, workerStage)) {
            command.add(arg.replace(IMAGE_CACHE, cache.toString()).replace(IMAGE_JAR, jar.toString()));
        }
        assertThat(command).as("the image's ENTRYPOINT").contains("-XX:AOTCache=" + cache);
        command.set(0, new JvmForks(dir).javaHome().resolve("bin/java").toString());
        // No broker at all: the worker still starts (its clients retry in the background), which is all this asks.
        command.addAll(1, List.of("-XX:AOTMode=on", "-Dkafka.bootstrap-servers=127.0.0.1:9",
                "-Dmicronaut.server.port=" + JvmForks.freePort(), "-Dworker.id=aot-check"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_TOOL_OPTIONS", javaToolOptions(dockerfile, workerStage));
        Process worker = builder.start();
        ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();
        Thread.ofVirtual().start(() -> readLines(worker, output));
        try {
            await("the worker's start").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> String.join("\n", output).contains("Startup completed") || !worker.isAlive());
            assertThat(String.join("\n", output)).as("the worker's output")
                    .contains("Startup completed").doesNotContain("[aot]");
        } finally {
            worker.destroyForcibly().waitFor();
        }
    }

    private static List<String> entrypoint(String dockerfile, int stage) throws IOException {
        Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT\\s+(\\[.*])\\s*$").matcher(dockerfile);
        assertThat(entrypoint.find(stage)).as("ENTRYPOINT of the worker stage").isTrue();
        return new ObjectMapper().readValue(entrypoint.group(1), new TypeReference<List<String>>() { });
    }

    private static String javaToolOptions(String dockerfile, int stage) {
        Matcher env = Pattern.compile("(?m)^ENV\\s+JAVA_TOOL_OPTIONS=\"([^\"]*)\"").matcher(dockerfile);
        assertThat(env.find(stage)).as("JAVA_TOOL_OPTIONS of the worker stage").isTrue();
        return env.group(1);
    }

    private static void readLines(Process process, ConcurrentLinkedQueue<String> into) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                into.add(line);
            }
        } catch (IOException e) {
            into.add("(output unreadable: " + e + ")");
        }
    }
}
