package io.inferenceworker.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.inferenceworker.testkit.EmbeddedSchemaRegistry;

/**
 * Live cross-implementation proof: Node.js with @kafkajs/confluent-schema-registry (installed by
 * {@code npm ci} in {@code src/test/node}, as {@code .ci/run} does) decodes what our serializer wrote, and
 * still encodes the committed fixtures byte for byte. Skipped, with the reason, where Node.js or the npm
 * packages are not installed.
 *
 * <p>{@code -Dkafkajs.fixtures.regenerate=true} rewrites the committed fixtures from kafkajs instead of
 * comparing against them (after changing fixture.avsc or records.json).
 */
class KafkajsInteropTest {

    private static final KafkajsFixtures FIXTURES = KafkajsFixtures.load();
    private static final Path NODE_DIR = KafkajsFixtures.moduleDir().resolve("src/test/node");

    @TempDir
    Path temp;

    @BeforeAll
    static void requireNodeAndPackages() {
        String version;
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            version = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            Assumptions.assumeTrue(node.waitFor(30, TimeUnit.SECONDS) && node.exitValue() == 0,
                    "node --version failed: " + version);
        } catch (IOException | InterruptedException e) {
            Assumptions.abort("Node.js is not installed (node not on PATH): " + e.getMessage());
            return;
        }
        Path kafkajs = NODE_DIR.resolve("node_modules/@kafkajs/confluent-schema-registry");
        Assumptions.assumeTrue(Files.isDirectory(kafkajs),
                "npm packages are not installed: run `npm ci` in " + NODE_DIR + " (node " + version + ")");
    }

    @Test
    void kafkajsDecodesWhatOurSerializerWrote() throws Exception {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start();
             KafkaAvroSerializer serializer = SerdeTestSupport.serializer(registry)) {
            List<String> files = new ArrayList<>();
            for (int i = 0; i < FIXTURES.records().size(); i++) {
                Object datum = FixtureJson.toDatum(FIXTURES.records().get(i), FIXTURES.schema());
                Path file = temp.resolve("java-" + i + ".bin");
                Files.write(file, serializer.serialize("interop", datum));
                files.add(file.toString());
            }
            List<String> command = new ArrayList<>(List.of("decode", registry.url()));
            command.addAll(files);
            JsonNode decoded = KafkajsFixtures.JSON.readTree(runFixturesScript(command));

            assertThat(decoded).hasSize(FIXTURES.records().size());
            for (int i = 0; i < FIXTURES.records().size(); i++) {
                assertThat(FixtureJson.sameValue(decoded.get(i), FIXTURES.records().get(i)))
                        .as("kafkajs decoded record %d as %s", i, decoded.get(i)).isTrue();
            }
        }
    }

    @Test
    void kafkajsStillEncodesTheCommittedFixtures() throws Exception {
        boolean regenerate = Boolean.getBoolean("kafkajs.fixtures.regenerate");
        Path out = regenerate ? KafkajsFixtures.sourceDir() : temp;
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start()) {
            runFixturesScript(List.of("encode", registry.url(), KafkajsFixtures.sourceDir().toString(), out.toString()));
        }
        JsonNode manifest = KafkajsFixtures.JSON.readTree(out.resolve("manifest.json").toFile());
        if (regenerate) {
            // The classpath still holds the previous fixtures; the next build compares against the new ones.
            assertThat(manifest.get("files")).hasSize(FIXTURES.records().size());
            return;
        }
        assertThat(manifest.get("schemaId").asInt()).isEqualTo(FIXTURES.schemaId());
        for (int i = 0; i < FIXTURES.records().size(); i++) {
            assertThat(Files.readAllBytes(out.resolve(manifest.get("files").get(i).asText())))
                    .as("kafkajs bytes of record %d", i).isEqualTo(FIXTURES.kafkajsBytes().get(i));
        }
    }

    private String runFixturesScript(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", "fixtures.js"));
        command.addAll(arguments);
        Path stderr = temp.resolve("node-stderr.txt");
        Process process = new ProcessBuilder(command).directory(NODE_DIR.toFile())
                .redirectError(stderr.toFile()).start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("node fixtures.js finished").isTrue();
        assertThat(process.exitValue()).as("node fixtures.js %s failed: %s", arguments.getFirst(),
                Files.readString(stderr)).isZero();
        return stdout;
    }
}
