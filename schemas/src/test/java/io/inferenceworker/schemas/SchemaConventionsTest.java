package io.inferenceworker.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conventions that keep the contracts evolvable and self-explanatory hold for every record and enum
 * reachable from a top-level contract, including types added later.
 */
class SchemaConventionsTest {

    private static final String NAMESPACE = "io.inferenceworker.schemas";

    /**
     * Enums without an enum-level default: reading an unknown symbol as a known one would falsify data, so
     * these fail on unknown symbols instead (and adding a symbol is a breaking change).
     */
    private static final Set<String> ENUMS_WITHOUT_DEFAULT = Set.of("Vote");

    static Stream<Schema> namedTypes() {
        Map<String, Schema> named = new LinkedHashMap<>();
        Arrays.stream(TopLevelContract.values()).forEach(contract -> collect(contract.current(), named));
        return named.values().stream();
    }

    static Stream<Schema> records() {
        return namedTypes().filter(schema -> schema.getType() == Schema.Type.RECORD);
    }

    static Stream<Schema> enums() {
        return namedTypes().filter(schema -> schema.getType() == Schema.Type.ENUM);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namedTypes")
    void isDocumentedInTheContractNamespace(Schema type) {
        assertThat(type.getNamespace()).isEqualTo(NAMESPACE);
        assertThat(type.getDoc()).as("doc of %s", type.getName()).isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void everyFieldIsDocumented(Schema record) {
        for (Schema.Field field : record.getFields()) {
            assertThat(field.doc()).as("doc of %s.%s", record.getName(), field.name()).isNotBlank();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void optionalFieldsPutNullFirstAndDefaultToNull(Schema record) {
        for (Schema.Field field : record.getFields()) {
            if (field.schema().isUnion()) {
                assertThat(field.schema().getTypes().get(0).getType())
                        .as("first branch of %s.%s", record.getName(), field.name())
                        .isEqualTo(Schema.Type.NULL);
                assertThat(field.defaultVal())
                        .as("default of %s.%s", record.getName(), field.name())
                        .isEqualTo(JsonProperties.NULL_VALUE);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void instantsAreTimestampMillis(Schema record) {
        for (Schema.Field field : record.getFields()) {
            if (field.name().endsWith("_at") || field.name().equals("deadline")) {
                Schema value = field.schema().isUnion() ? field.schema().getTypes().get(1) : field.schema();
                assertThat(value.getLogicalType())
                        .as("logical type of %s.%s", record.getName(), field.name())
                        .isEqualTo(LogicalTypes.timestampMillis());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("enums")
    void enumsHaveADefaultForSymbolsAddedLater(Schema enumType) {
        if (ENUMS_WITHOUT_DEFAULT.contains(enumType.getName())) {
            assertThat(enumType.getEnumDefault()).as("enum default of %s", enumType.getName()).isNull();
        } else {
            assertThat(enumType.getEnumDefault()).as("enum default of %s", enumType.getName()).isNotNull();
        }
    }

    private static void collect(Schema schema, Map<String, Schema> named) {
        switch (schema.getType()) {
            case RECORD -> {
                if (named.putIfAbsent(schema.getFullName(), schema) == null) {
                    schema.getFields().forEach(field -> collect(field.schema(), named));
                }
            }
            case ENUM -> named.putIfAbsent(schema.getFullName(), schema);
            case ARRAY -> collect(schema.getElementType(), named);
            case MAP -> collect(schema.getValueType(), named);
            case UNION -> schema.getTypes().forEach(branch -> collect(branch, named));
            default -> {
                // Primitives and logical types name no types.
            }
        }
    }
}
