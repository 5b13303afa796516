package io.inferenceworker.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a check but the release tool: copies the current, fully resolved schemas over
 * {@code src/test/resources/previous/} (pretty JSON, as the deprecated {@code Schema.toString(true)} wrote it),
 * only when run with {@code -Dschemas.cut-release=true} (see
 * {@link SchemaContractTest} for when and how). Maven runs tests in the module folder, hence the relative path.
 */
@EnabledIfSystemProperty(named = "schemas.cut-release", matches = "true")
class CutSchemaReleaseTest {

    private static final Path PREVIOUS_RELEASE_SOURCES =
            Path.of("src", "test", "resources", TopLevelContract.PREVIOUS_RELEASE_FOLDER);

    @Test
    void copiesCurrentSchemasToPreviousRelease() throws IOException {
        assertThat(Path.of("src", "main", "avro")).as("run from the schemas module folder").isDirectory();
        Files.createDirectories(PREVIOUS_RELEASE_SOURCES);

        for (TopLevelContract contract : TopLevelContract.values()) {
            Path file = PREVIOUS_RELEASE_SOURCES.resolve(contract.recordName() + ".avsc");
            String prettyJson = SchemaFormatter.format("json/pretty", contract.current());
            Files.writeString(file, prettyJson + "\n", StandardCharsets.UTF_8);

            assertThat(new Schema.Parser().parse(file.toFile())).isEqualTo(contract.current());
        }
    }
}
