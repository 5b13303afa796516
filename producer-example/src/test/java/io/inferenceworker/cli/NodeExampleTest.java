package io.inferenceworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferenceworker.cli.CliWorld.Run;
import io.inferenceworker.schemas.SelfContainedSchemas;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Node.js example ({@code examples/node}: kafkajs and @kafkajs/confluent-schema-registry) round-trips through a
 * real worker on the embedded stack, as on a registry with {@code auto.register.schemas=false}: {@code producer-example
 * schemas register} registers the request schema, the Node producer looks its ID up and sends jobs built on the
 * shipped self-contained schema, and the Node consumer reads the worker's results, which it can only do when the
 * worker's producer compresses with a codec kafkajs has (gzip or none; lz4 crashes it). Skipped, with the reason,
 * where Node.js or the example's npm packages ({@code npm ci} in examples/node, as {@code .ci/run} does) are absent.
 */
class NodeExampleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Maven runs tests in the module folder. */
    private static final Path EXAMPLE = Path.of("..", "examples", "node").toAbsolutePath().normalize();
    private static final int JOBS = 3;

    private static CliWorld world;

    @TempDir
    Path temp;

    /** Why the tests cannot run here, or null; each test reports it as its skip reason. */
    private static String missing;

    @BeforeAll
    static void startWorldWhereNodeIsInstalled() {
        missing = missingNode();
        if (missing == null) {
            world = new CliWorld(2);
        }
    }

    @BeforeEach
    void requireNode() {
        Assumptions.assumeTrue(missing == null, missing);
    }

    private static String missingNode() {
        String version;
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            version = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!node.waitFor(30, TimeUnit.SECONDS) || node.exitValue() != 0) {
                return "node --version failed: " + version;
            }
        } catch (IOException e) {
            return "Node.js is not installed (node not on PATH): " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while looking for Node.js";
        }
        for (String module : List.of("kafkajs", "@kafkajs/confluent-schema-registry")) {
            if (!Files.isDirectory(EXAMPLE.resolve("node_modules").resolve(module))) {
                return "npm packages are not installed: run `npm ci` in " + EXAMPLE + " (node " + version + ")";
            }
        }
        return null;
    }

    @AfterAll
    static void stopWorld() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void nodeProducerToWorkerToNodeConsumer() throws Exception {
        Path schema = temp.resolve("CompletionRequest.avsc");
        Files.writeString(schema, SelfContainedSchemas.read("CompletionRequest"));
        Run registered = world.run("schemas", "register", "--topics", "requests");
        assertThat(registered.exitCode()).as(registered.err()).isZero();

        String jobIds = node("producer.js", "--provider", CliWorld.PROVIDER, "--count", String.valueOf(JOBS),
                "--job-prefix", world.prefix, "--prompt", "Say hello from Node", "--schema", schema.toString());
        List<String> sent = jobIds.lines().toList();
        assertThat(sent).hasSize(JOBS).allMatch(id -> id.startsWith(world.prefix + "-"));

        String results = node("consumer.js", "--job-ids", String.join(",", sent), "--timeout", "60",
                "--group", world.prefix + ".node-consumer");
        List<JsonNode> decoded = new ArrayList<>();
        for (String line : results.lines().toList()) {
            decoded.add(JSON.readTree(line));
        }
        assertThat(decoded).hasSize(JOBS);
        assertThat(decoded).extracting(result -> result.get("job_id").asText())
                .containsExactlyInAnyOrderElementsOf(sent);
        for (JsonNode result : decoded) {
            assertThat(result.get("status").asText()).as(result.toString()).isEqualTo("SUCCEEDED");
            assertThat(result.get("provider").asText()).isEqualTo(CliWorld.PROVIDER);
            assertThat(result.at("/choices/0/content").asText()).as(result.toString()).isNotBlank();
            assertThat(result.at("/metadata/source").asText()).isEqualTo("examples/node");
        }
    }

    @Test
    void theProducerLooksTheSchemaUpOrRegistersItWithRegister() throws Exception {
        Path schema = temp.resolve("CompletionRequest.avsc");
        Files.writeString(schema, SelfContainedSchemas.read("CompletionRequest"));
        String unregistered = world.prefix + ".never-registered";
        NodeRun refused = runNode("producer.js", "--provider", CliWorld.PROVIDER, "--schema", schema.toString(),
                "--requests-topic", unregistered);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("not registered under " + unregistered + "-value")
                .contains("producer-example schemas register");

        NodeRun registered = runNode("producer.js", "--provider", CliWorld.PROVIDER, "--schema", schema.toString(),
                "--register", "--job-prefix", world.prefix + "-registered");
        assertThat(registered.exitCode()).as(registered.err()).isZero();
        assertThat(registered.out().strip()).isEqualTo(world.prefix + "-registered-1");
        // Registering the same text again is idempotent: it answers the ID kafkajs registered (or found).
        int id = world.stack.registry().register(world.topics.get(TopicKind.REQUESTS) + "-value",
                SelfContainedSchemas.read("CompletionRequest"));
        assertThat(registered.err()).contains("sent 1 jobs to " + world.topics.get(TopicKind.REQUESTS)
                + " (schema id " + id + ")");
    }

    private record NodeRun(int exitCode, String out, String err) {
    }

    /** Runs a script of the example against the world; returns its standard output, failing on a non-zero exit. */
    private String node(String script, String... arguments) throws IOException, InterruptedException {
        NodeRun run = runNode(script, arguments);
        assertThat(run.exitCode()).as("node %s failed: %s", script, run.err()).isZero();
        return run.out();
    }

    /** Runs a script with the world's connection options, then {@code arguments} (the last of a repeated one wins). */
    private NodeRun runNode(String script, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script,
                "--brokers", world.stack.kafka().bootstrapServers(),
                "--registry", world.stack.registry().url(),
                "--requests-topic", world.topics.get(TopicKind.REQUESTS),
                "--results-topic", world.topics.get(TopicKind.RESULTS)));
        command.addAll(List.of(arguments));
        Path stdout = Files.createTempFile(temp, "node-stdout", ".txt");
        Path stderr = Files.createTempFile(temp, "node-stderr", ".txt");
        Process process = new ProcessBuilder(command).directory(EXAMPLE.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        process.getOutputStream().close();
        boolean exited = process.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        return new NodeRun(exited ? process.exitValue() : -1, Files.readString(stdout), Files.readString(stderr));
    }
}
