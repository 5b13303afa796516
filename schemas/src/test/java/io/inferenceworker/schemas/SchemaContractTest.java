package io.inferenceworker.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.list;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each top-level contract parses, survives an Avro binary round trip with every field set, and stays BACKWARD
 * (new readers read old data) and FORWARD (old readers read new data) compatible with its previous release,
 * so producers and consumers can upgrade in any order.
 *
 * <h2>Cutting a release of the contracts</h2>
 * <ol>
 *   <li>Make the change in {@code src/main/avro}; this test must pass against the current "previous" files. If
 *       it fails, the change would break deployed producers or consumers: make the new field optional
 *       ({@code ["null", ...]}, default {@code null}) or give it a default, keep removed fields' defaults, add
 *       enum symbols only to enums with an enum default. Never re-cut "previous" to silence a failure.</li>
 *   <li>When the release is tagged, copy the current schemas over the previous ones:
 *       <pre>./mvnw -B -Dbuild.dir=target-$USER -pl schemas -am test -Dtest=CutSchemaReleaseTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dschemas.cut-release=true</pre>
 *       which writes {@code src/test/resources/previous/<Record>.avsc} as self-contained, fully resolved schemas
 *       (pretty JSON of the generated classes' schemas). Never edit those files by hand.</li>
 *   <li>Review the diff of {@code previous/} and commit it with the release.</li>
 * </ol>
 * Release 0.1.0 is the first, so its "previous" files equal the current schemas; {@link CompatibilityCheckTest}
 * proves the check still catches breaking changes.
 */
class SchemaContractTest {

    @ParameterizedTest
    @EnumSource(TopLevelContract.class)
    void currentSchemaIsSelfContainedAndParses(TopLevelContract contract) {
        Schema current = contract.current();

        Schema reparsed = new Schema.Parser().parse(SchemaFormatter.format("json/pretty", current));

        assertThat(reparsed).isEqualTo(current);
        assertThat(reparsed.getType()).isEqualTo(Schema.Type.RECORD);
        assertThat(reparsed.getFullName()).isEqualTo("io.inferenceworker.schemas." + contract.recordName());
    }

    @ParameterizedTest
    @EnumSource(TopLevelContract.class)
    void previousReleaseIsSelfContainedAndParses(TopLevelContract contract) {
        Schema previous = contract.previous();

        assertThat(previous.getFullName()).isEqualTo(contract.current().getFullName());
    }

    @ParameterizedTest
    @EnumSource(TopLevelContract.class)
    void fixtureSetsEveryFieldAndUnionBranch(TopLevelContract contract) {
        SpecificRecordBase fixture = contract.fixture();
        FieldCoverage coverage = new FieldCoverage(SpecificData.getForClass(contract.type()));

        coverage.visit(fixture.getSchema(), fixture);

        assertThat(coverage.unset())
                .as("fields and union branches that ContractFixtures never sets, so the round trip never tests")
                .isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TopLevelContract.class)
    void roundTripsThroughAvroBinary(TopLevelContract contract) throws IOException {
        SpecificRecordBase fixture = contract.fixture();

        byte[] bytes = encode(fixture);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        SpecificRecordBase decoded = new SpecificDatumReader<SpecificRecordBase>(contract.current())
                .read(null, decoder);

        assertThat(decoder.isEnd()).as("all bytes consumed").isTrue();
        assertThat(decoded).isInstanceOf(contract.type()).isEqualTo(fixture);
    }

    @Test
    void roundTripKeepsMessageContentVariantsAndInstants() throws IOException {
        CompletionRequest fixture = ContractFixtures.completionRequest();

        CompletionRequest decoded = new SpecificDatumReader<>(CompletionRequest.class)
                .read(null, DecoderFactory.get().binaryDecoder(encode(fixture), null));

        assertThat(decoded.getMessages().get(0).getContent()).isEqualTo("You are terse.");
        assertThat(decoded.getMessages().get(1).getContent()).asInstanceOf(list(ContentPart.class))
                .extracting(ContentPart::getType)
                .containsExactly(ContentPartType.TEXT, ContentPartType.IMAGE_URL);
        assertThat(decoded.getMessages().get(2).getContent()).isNull();
        assertThat(decoded.getSubmittedAt()).isEqualTo(fixture.getSubmittedAt());
        assertThat(decoded.getDeadline()).isEqualTo(fixture.getDeadline());
        assertThat(decoded.getLogitBias()).containsEntry("50256", -100);
    }

    @ParameterizedTest
    @EnumSource(TopLevelContract.class)
    void isBackwardCompatibleWithPreviousRelease(TopLevelContract contract) {
        assertCompatible(contract.current(), contract.previous(), "current reader, previous writer (BACKWARD)");
    }

    @ParameterizedTest
    @EnumSource(TopLevelContract.class)
    void isForwardCompatibleWithPreviousRelease(TopLevelContract contract) throws IOException {
        assertCompatible(contract.previous(), contract.current(), "previous reader, current writer (FORWARD)");

        // Beyond the checker's verdict: an old reader really decodes today's fully populated record.
        byte[] bytes = encode(contract.fixture());
        GenericRecord seenByOldReader = new GenericDatumReader<GenericRecord>(contract.current(), contract.previous())
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        assertThat(seenByOldReader.get("job_id")).hasToString("job-1");
    }

    @Test
    void everyPreviousReleaseFileBelongsToATopLevelContract() throws IOException, URISyntaxException {
        URL folder = getClass().getClassLoader().getResource(TopLevelContract.PREVIOUS_RELEASE_FOLDER);
        assertThat(folder).as("previous release folder on the test classpath").isNotNull();
        Set<String> files;
        try (Stream<Path> listing = Files.list(Path.of(folder.toURI()))) {
            files = listing.map(path -> path.getFileName().toString()).collect(Collectors.toSet());
        }

        assertThat(files).containsExactlyInAnyOrderElementsOf(Arrays.stream(TopLevelContract.values())
                .map(contract -> contract.recordName() + ".avsc")
                .toList());
    }

    static void assertCompatible(Schema reader, Schema writer, String direction) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertThat(result.getType())
                .as("%s of %s: %s", direction, reader.getName(), result.getResult().getIncompatibilities())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    static byte[] encode(SpecificRecordBase record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecordBase>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /**
     * Walks a record and remembers, per record type and field, whether the field was ever non-null and which
     * union branches occurred, so a forgotten field in a fixture fails the test instead of going untested.
     */
    private static final class FieldCoverage {
        private final SpecificData model;
        private final Map<String, Set<String>> expected = new HashMap<>();
        private final Set<String> seen = new HashSet<>();

        FieldCoverage(SpecificData model) {
            this.model = model;
        }

        void visit(Schema schema, Object datum) {
            switch (schema.getType()) {
                case RECORD -> visitRecord(schema, (IndexedRecord) datum);
                case ARRAY -> ((List<?>) datum).forEach(item -> visit(schema.getElementType(), item));
                case MAP -> ((Map<?, ?>) datum).values().forEach(value -> visit(schema.getValueType(), value));
                default -> {
                    // Leaves (strings, numbers, enums, timestamps) need no walking.
                }
            }
        }

        private void visitRecord(Schema schema, IndexedRecord record) {
            for (Schema.Field field : schema.getFields()) {
                String key = schema.getName() + "." + field.name();
                Set<String> wanted = expected.computeIfAbsent(schema.getName(), name -> new HashSet<>());
                wanted.add(key);
                Object value = record.get(field.pos());
                if (value == null) {
                    continue;
                }
                seen.add(key);
                Schema valueSchema = field.schema();
                if (valueSchema.isUnion()) {
                    for (Schema branch : valueSchema.getTypes()) {
                        if (branch.getType() != Schema.Type.NULL) {
                            wanted.add(key + "|" + branch.getName());
                        }
                    }
                    valueSchema = valueSchema.getTypes().get(model.resolveUnion(valueSchema, value));
                    seen.add(key + "|" + valueSchema.getName());
                }
                visit(valueSchema, value);
            }
        }

        Set<String> unset() {
            Set<String> missing = new HashSet<>();
            expected.values().forEach(missing::addAll);
            missing.removeAll(seen);
            return missing;
        }
    }
}
