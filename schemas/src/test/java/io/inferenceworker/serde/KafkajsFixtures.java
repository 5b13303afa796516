package io.inferenceworker.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The committed cross-implementation fixtures in {@code src/test/resources/fixtures/kafkajs}: the schema, the
 * input records as JSON, and the bytes @kafkajs/confluent-schema-registry encoded from them (see the
 * README there).
 */
record KafkajsFixtures(Schema schema, List<JsonNode> records, JsonNode manifest, List<byte[]> kafkajsBytes) {

    static final String RESOURCE_DIR = "fixtures/kafkajs/";
    static final ObjectMapper JSON = new ObjectMapper();

    static KafkajsFixtures load() {
        try {
            Schema schema;
            try (InputStream avsc = open("fixture.avsc")) {
                schema = new Schema.Parser().parse(avsc);
            }
            List<JsonNode> records = new ArrayList<>();
            try (InputStream json = open("records.json")) {
                JSON.readTree(json).forEach(records::add);
            }
            JsonNode manifest;
            try (InputStream json = open("manifest.json")) {
                manifest = JSON.readTree(json);
            }
            List<byte[]> bytes = new ArrayList<>();
            for (JsonNode file : manifest.get("files")) {
                try (InputStream bin = open(file.asText())) {
                    bytes.add(bin.readAllBytes());
                }
            }
            return new KafkajsFixtures(schema, records, manifest, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String topic() {
        return manifest.get("topic").asText();
    }

    String subject() {
        return manifest.get("subject").asText();
    }

    int schemaId() {
        return manifest.get("schemaId").asInt();
    }

    /** The module's directory (surefire's working directory; {@code basedir} when set). */
    static Path moduleDir() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    }

    /** The fixtures' source folder, where regeneration writes. */
    static Path sourceDir() {
        return moduleDir().resolve("src/test/resources").resolve(RESOURCE_DIR);
    }

    private static InputStream open(String name) {
        InputStream in = KafkajsFixtures.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + RESOURCE_DIR + name);
        }
        return in;
    }
}
