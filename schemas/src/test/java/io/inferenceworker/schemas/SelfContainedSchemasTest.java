package io.inferenceworker.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The self-contained schemas the build writes for other languages ({@code target/classes/self-contained}, shipped in
 * the jar): one per top-level contract, each parsing alone and equal to what the generated class (and so the Java
 * serializer) uses.
 */
class SelfContainedSchemasTest {

    @ParameterizedTest
    @EnumSource(TopLevelContract.class)
    void eachShippedFileParsesAloneAndEqualsTheGeneratedClassSchema(TopLevelContract contract) {
        String text = SelfContainedSchemas.read(contract.recordName());

        // A fresh parser knows no named type: it fails on any reference the file does not define itself.
        Schema parsed = new Schema.Parser().parse(text);

        assertThat(parsed).isEqualTo(contract.current());
        assertThat(parsed.getFullName()).isEqualTo(contract.type().getName());
        assertThat(text).isEqualTo(SelfContainedSchemas.pretty(contract.current()));
    }

    @Test
    void exactlyTheTopLevelContractsAreShipped() throws IOException, URISyntaxException {
        URL folder = getClass().getClassLoader().getResource(SelfContainedSchemas.RESOURCE_FOLDER);
        assertThat(folder).as("the build wrote %s (exec-maven-plugin in process-classes)",
                SelfContainedSchemas.RESOURCE_FOLDER).isNotNull();
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(Arrays.stream(TopLevelContract.values())
                            .map(contract -> contract.recordName() + ".avsc").toList());
        }
    }

    @Test
    void writeReplacesStaleFilesAndWritesOnePerTopLevelSource(@TempDir Path out) throws IOException {
        Files.writeString(out.resolve("Removed.avsc"), "{}");

        List<Path> written = SelfContainedSchemas.write(Path.of("src", "main", "avro"), out);

        assertThat(written).hasSize(TopLevelContract.values().length);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files).containsExactlyInAnyOrderElementsOf(written);
        }
        for (TopLevelContract contract : TopLevelContract.values()) {
            assertThat(Files.readString(out.resolve(contract.recordName() + ".avsc")))
                    .isEqualTo(SelfContainedSchemas.read(contract.recordName()));
        }
    }

    @Test
    void readNamesTheMissingResource() {
        assertThatThrownBy(() -> SelfContainedSchemas.read("NoSuchRecord"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("self-contained/NoSuchRecord.avsc");
    }
}
