package io.inferenceworker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * Writes Avro values as plain JSON, the form {@link JsonToAvro} reads: records as objects with the schema's field
 * names in schema order, unions unwrapped, enums as their symbols, timestamps as ISO-8601 text, bytes as base64.
 * Stateless.
 */
final class AvroToJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AvroToJson() {
    }

    static JsonNode toJson(Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case IndexedRecord record -> record(record);
            case CharSequence text -> NODES.textNode(text.toString());
            case Integer number -> NODES.numberNode(number);
            case Long number -> NODES.numberNode(number);
            case Float number -> Float.isFinite(number) ? NODES.numberNode(number) : NODES.textNode(number.toString());
            case Double number -> Double.isFinite(number) ? NODES.numberNode(number) : NODES.textNode(number.toString());
            case Boolean flag -> NODES.booleanNode(flag);
            case Instant instant -> NODES.textNode(instant.toString());
            case Map<?, ?> map -> map(map);
            case Collection<?> items -> array(items);
            case ByteBuffer bytes -> NODES.textNode(Base64.getEncoder().encodeToString(copy(bytes)));
            case byte[] bytes -> NODES.textNode(Base64.getEncoder().encodeToString(bytes));
            default -> NODES.textNode(value.toString()); // enum symbols, generic or specific
        };
    }

    private static ObjectNode record(IndexedRecord record) {
        ObjectNode node = NODES.objectNode();
        for (Schema.Field field : record.getSchema().getFields()) {
            node.set(field.name(), toJson(record.get(field.pos())));
        }
        return node;
    }

    private static ObjectNode map(Map<?, ?> map) {
        ObjectNode node = NODES.objectNode();
        map.forEach((key, item) -> node.set(String.valueOf(key), toJson(item)));
        return node;
    }

    private static ArrayNode array(Collection<?> items) {
        ArrayNode node = NODES.arrayNode();
        items.forEach(item -> node.add(toJson(item)));
        return node;
    }

    private static byte[] copy(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
