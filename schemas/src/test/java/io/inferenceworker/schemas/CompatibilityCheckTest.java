package io.inferenceworker.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves that the compatibility check of {@link SchemaContractTest} can fail: schemas derived from the current
 * contracts with typical breaking changes are flagged, and the changes our evolution rules allow are not.
 * Also pins down what the enum defaults buy: symbols can be added to enums that have one, not to {@link Vote}.
 */
class CompatibilityCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether a reader of the changed schema reads old data (BACKWARD) and an old reader reads new data (FORWARD). */
    record Change(String description, TopLevelContract contract, Consumer<ObjectNode> edit,
                  boolean backward, boolean forward) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                new Change("new required field without default", TopLevelContract.COMPLETION_REQUEST,
                        root -> fields(root, "CompletionRequest").add(field("priority", "\"int\"", null)),
                        false, true),
                new Change("new optional field, default null", TopLevelContract.COMPLETION_REQUEST,
                        root -> fields(root, "CompletionRequest")
                                .add(field("priority", "[\"null\", \"int\"]", "null")),
                        true, true),
                new Change("required field removed", TopLevelContract.COMPLETION_REQUEST,
                        root -> removeField(root, "CompletionRequest", "provider"),
                        true, false),
                new Change("field with default removed", TopLevelContract.COMPLETION_RESULT,
                        root -> removeField(root, "CompletionResult", "worker_id"),
                        true, true),
                new Change("nested field type changed (string to int)", TopLevelContract.COMPLETION_RESULT,
                        root -> fieldNamed(root, "ErrorInfo", "code").put("type", "int"),
                        false, false),
                new Change("optional field made required", TopLevelContract.USAGE_RECORD,
                        root -> fieldNamed(root, "UsageRecord", "model").put("type", "string").remove("default"),
                        false, true),
                new Change("symbol removed from Vote (no enum default)", TopLevelContract.VOTE_REQUEST,
                        root -> symbols(root, "Vote").remove(1),
                        false, true),
                new Change("symbol added to Vote (no enum default)", TopLevelContract.VOTE_RECORD,
                        root -> symbols(root, "Vote").add("ABSTAIN"),
                        true, false),
                new Change("symbol added to CompletionStatus (enum default FAILED)", TopLevelContract.COMPLETION_RESULT,
                        root -> symbols(root, "CompletionStatus").add("CANCELLED"),
                        true, true),
                new Change("symbol removed from ForwardStatus (enum default UNKNOWN)", TopLevelContract.VOTE_RECORD,
                        root -> symbols(root, "ForwardStatus").remove(1),
                        true, true),
                new Change("symbol added to Role (enum default USER)", TopLevelContract.COMPLETION_REQUEST,
                        root -> symbols(root, "Role").add("FUNCTION"),
                        true, true),
                new Change("record renamed", TopLevelContract.USAGE_RECORD,
                        root -> root.put("name", "TokenUsage"),
                        false, false)
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void checkerJudgesChange(Change change) {
        Schema current = change.contract().current();
        Schema changed = derive(current, change.edit());

        assertThat(verdict(changed, current)).as("BACKWARD: changed reader, current writer")
                .isEqualTo(expected(change.backward()));
        assertThat(verdict(current, changed)).as("FORWARD: current reader, changed writer")
                .isEqualTo(expected(change.forward()));
    }

    private static SchemaCompatibilityType verdict(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType();
    }

    private static SchemaCompatibilityType expected(boolean compatible) {
        return compatible ? SchemaCompatibilityType.COMPATIBLE : SchemaCompatibilityType.INCOMPATIBLE;
    }

    private static Schema derive(Schema schema, Consumer<ObjectNode> edit) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(schema.toString());
            edit.accept(root);
            Schema derived = new Schema.Parser().parse(JSON.writeValueAsString(root));
            assertThat(derived).as("the edit changed the schema").isNotEqualTo(schema);
            return derived;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot derive a schema from " + schema.getFullName(), e);
        }
    }

    /** The definition (not a by-name reference) of the named record or enum, anywhere in the resolved schema. */
    private static ObjectNode definition(JsonNode node, String name) {
        if (node.isObject() && name.equals(node.path("name").asText())
                && List.of("record", "enum").contains(node.path("type").asText())) {
            return (ObjectNode) node;
        }
        for (JsonNode child : node) {
            if (child.isContainerNode()) {
                ObjectNode found = definition(child, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static ObjectNode required(JsonNode root, String name) {
        ObjectNode found = definition(root, name);
        assertThat(found).as("definition of %s", name).isNotNull();
        return found;
    }

    private static ArrayNode fields(ObjectNode root, String record) {
        return (ArrayNode) required(root, record).get("fields");
    }

    private static ArrayNode symbols(ObjectNode root, String enumName) {
        return (ArrayNode) required(root, enumName).get("symbols");
    }

    private static ObjectNode fieldNamed(ObjectNode root, String record, String field) {
        for (JsonNode candidate : fields(root, record)) {
            if (field.equals(candidate.path("name").asText())) {
                return (ObjectNode) candidate;
            }
        }
        throw new AssertionError("No field " + field + " in " + record);
    }

    private static void removeField(ObjectNode root, String record, String field) {
        ArrayNode fields = fields(root, record);
        for (int i = 0; i < fields.size(); i++) {
            if (field.equals(fields.get(i).path("name").asText())) {
                fields.remove(i);
                return;
            }
        }
        throw new AssertionError("No field " + field + " in " + record);
    }

    private static JsonNode field(String name, String typeJson, String defaultJson) {
        try {
            ObjectNode field = JSON.createObjectNode().put("name", name);
            field.set("type", JSON.readTree(typeJson));
            if (defaultJson != null) {
                field.set("default", JSON.readTree(defaultJson));
            }
            return field;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(typeJson, e);
        }
    }
}
