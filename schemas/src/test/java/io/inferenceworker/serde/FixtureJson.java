package io.inferenceworker.serde;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON ↔ generic Avro datum, with the conventions fixtures.js uses: bytes and fixed as {"$base64": "..."},
 * unions with null as the bare value or null, enums as their symbol.
 */
final class FixtureJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Compares JSON leaves, numbers by value (1 == 1.0 == 1L). */
    static final Comparator<JsonNode> SAME_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText()));
        }
        return a.equals(b) ? 0 : 1;
    };

    private FixtureJson() {
    }

    static boolean sameValue(JsonNode a, JsonNode b) {
        return a.equals(SAME_VALUE, b);
    }

    static Object toDatum(JsonNode json, Schema schema) {
        return switch (schema.getType()) {
            case RECORD -> {
                GenericRecord record = new GenericData.Record(schema);
                for (Schema.Field field : schema.getFields()) {
                    JsonNode value = json.get(field.name());
                    record.put(field.pos(), value == null
                            ? GenericData.get().getDefaultValue(field)
                            : toDatum(value, field.schema()));
                }
                yield record;
            }
            case UNION -> {
                if (json.isNull()) {
                    yield null;
                }
                List<Schema> nonNull = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
                if (nonNull.size() != 1) {
                    throw new IllegalArgumentException("fixtures only use unions of null and one type: " + schema);
                }
                yield toDatum(json, nonNull.getFirst());
            }
            case ENUM -> new GenericData.EnumSymbol(schema, json.asText());
            case ARRAY -> {
                List<Object> items = new ArrayList<>();
                json.forEach(item -> items.add(toDatum(item, schema.getElementType())));
                yield new GenericData.Array<>(schema, items);
            }
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                json.properties().forEach(entry -> map.put(entry.getKey(), toDatum(entry.getValue(), schema.getValueType())));
                yield map;
            }
            case STRING -> json.asText();
            case BYTES -> ByteBuffer.wrap(base64(json));
            case FIXED -> new GenericData.Fixed(schema, base64(json));
            case INT -> json.asInt();
            case LONG -> json.asLong();
            case FLOAT -> (float) json.asDouble();
            case DOUBLE -> json.asDouble();
            case BOOLEAN -> json.asBoolean();
            case NULL -> null;
        };
    }

    static JsonNode toJson(Object datum, Schema schema) {
        return switch (schema.getType()) {
            case RECORD -> {
                GenericRecord record = (GenericRecord) datum;
                ObjectNode object = NODES.objectNode();
                for (Schema.Field field : schema.getFields()) {
                    object.set(field.name(), toJson(record.get(field.pos()), field.schema()));
                }
                yield object;
            }
            case UNION -> datum == null
                    ? NODES.nullNode()
                    : toJson(datum, schema.getTypes().get(GenericData.get().resolveUnion(schema, datum)));
            case ENUM, STRING -> NODES.textNode(datum.toString());
            case ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (Object item : (Iterable<?>) datum) {
                    array.add(toJson(item, schema.getElementType()));
                }
                yield array;
            }
            case MAP -> {
                ObjectNode object = NODES.objectNode();
                ((Map<?, ?>) datum).forEach((k, v) -> object.set(k.toString(), toJson(v, schema.getValueType())));
                yield object;
            }
            case BYTES -> {
                ByteBuffer buffer = ((ByteBuffer) datum).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                yield base64Node(bytes);
            }
            case FIXED -> base64Node(((GenericFixed) datum).bytes());
            case INT -> NODES.numberNode((Integer) datum);
            case LONG -> NODES.numberNode((Long) datum);
            case FLOAT -> NODES.numberNode((double) (Float) datum);
            case DOUBLE -> NODES.numberNode((Double) datum);
            case BOOLEAN -> NODES.booleanNode((Boolean) datum);
            case NULL -> NODES.nullNode();
        };
    }

    private static byte[] base64(JsonNode json) {
        return Base64.getDecoder().decode(json.get("$base64").asText());
    }

    private static ObjectNode base64Node(byte[] bytes) {
        return NODES.objectNode().put("$base64", Base64.getEncoder().encodeToString(bytes));
    }
}
