package io.inferenceworker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads JSON as people write it into an Avro record, guided by the record's schema: the JSON members have the
 * schema's field names, union values are written plainly (no Avro {@code {"string": ...}} wrapping), enum symbols
 * in any case ({@code "user"} for {@code USER}), timestamps as epoch milliseconds, ISO-8601 text or a duration from
 * now ({@code "deadline": "30s"}), and string fields that hold JSON text (a tool's {@code parameters},
 * {@code chat_template_kwargs}, {@code json_schema}) as JSON objects. Missing fields take the schema's default;
 * unknown fields, missing required fields and mistyped values are {@link InputException}s naming the JSON path
 * ({@code messages[0].role}). Because it walks the schema, fields added to the contracts need no code here.
 *
 * <p>Immutable; thread-safe if the model is.
 */
final class JsonToAvro {
    private final SpecificData model;
    private final Clock clock;

    private JsonToAvro(SpecificData model, Clock clock) {
        this.model = Objects.requireNonNull(model, "model");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Reads {@code json} as a {@code type} record. */
    static <T extends SpecificRecord> T read(JsonNode json, Class<T> type, Clock clock) {
        SpecificData model = SpecificData.getForClass(type);
        return type.cast(new JsonToAvro(model, clock).convert(json, model.getSchema(type), "$"));
    }

    private Object convert(JsonNode node, Schema schema, String path) {
        return switch (schema.getType()) {
            case RECORD -> record(node, schema, path);
            case UNION -> union(node, schema, path);
            case ENUM -> enumSymbol(node, schema, path);
            case ARRAY -> array(node, schema, path);
            case MAP -> map(node, schema, path);
            case STRING -> string(node, path);
            case INT -> integer(node, path);
            case LONG -> longValue(node, schema, path);
            case FLOAT -> (float) number(node, path);
            case DOUBLE -> number(node, path);
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    throw error(path, "expected true or false");
                }
                yield node.booleanValue();
            }
            case BYTES -> ByteBuffer.wrap(Base64.getDecoder().decode(text(node, path, "base64 text")));
            case NULL -> {
                if (!node.isNull()) {
                    throw error(path, "expected null");
                }
                yield null;
            }
            case FIXED -> throw error(path, "fixed values are not supported");
        };
    }

    private Object record(JsonNode node, Schema schema, String path) {
        if (!node.isObject()) {
            throw error(path, "expected an object (" + schema.getName() + ")");
        }
        Set<String> known = schema.getFields().stream().map(Schema.Field::name)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw error(path + "." + name, "unknown field; the fields of " + schema.getName() + " are " + known);
            }
        }
        IndexedRecord record = (IndexedRecord) model.newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
            JsonNode value = node.get(field.name());
            if (value != null) {
                record.put(field.pos(), convert(value, field.schema(), path + "." + field.name()));
            } else if (field.hasDefaultValue()) {
                record.put(field.pos(), model.getDefaultValue(field));
            } else {
                throw error(path, "missing required field '" + field.name() + "' (" + schema.getName() + ")");
            }
        }
        return record;
    }

    private Object union(JsonNode node, Schema schema, String path) {
        List<Schema> branches = schema.getTypes();
        if (node.isNull()) {
            if (branches.stream().anyMatch(b -> b.getType() == Schema.Type.NULL)) {
                return null;
            }
            throw error(path, "must not be null");
        }
        for (Schema branch : branches) {
            if (accepts(branch, node)) {
                return convert(node, branch, path);
            }
        }
        for (Schema branch : branches) {
            if (branch.getType() == Schema.Type.STRING && node.isContainerNode()) {
                return node.toString(); // a field holding JSON text, written as JSON
            }
        }
        throw error(path, "expected " + branches.stream().filter(b -> b.getType() != Schema.Type.NULL)
                .map(JsonToAvro::describe).collect(Collectors.joining(" or ")));
    }

    private static boolean accepts(Schema branch, JsonNode node) {
        return switch (branch.getType()) {
            case STRING, ENUM, BYTES -> node.isTextual();
            case INT -> node.isIntegralNumber();
            case LONG -> node.isIntegralNumber() || (isTimestamp(branch) && node.isTextual());
            case FLOAT, DOUBLE -> node.isNumber();
            case BOOLEAN -> node.isBoolean();
            case RECORD, MAP -> node.isObject();
            case ARRAY -> node.isArray();
            default -> false;
        };
    }

    private Object enumSymbol(JsonNode node, Schema schema, String path) {
        String value = text(node, path, "one of " + schema.getEnumSymbols());
        return schema.getEnumSymbols().stream().filter(symbol -> symbol.equalsIgnoreCase(value)).findFirst()
                .map(symbol -> model.createEnum(symbol, schema))
                .orElseThrow(() -> error(path, "'" + value + "' is not one of " + schema.getEnumSymbols()));
    }

    private List<Object> array(JsonNode node, Schema schema, String path) {
        if (!node.isArray()) {
            throw error(path, "expected an array");
        }
        List<Object> items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            items.add(convert(node.get(i), schema.getElementType(), path + "[" + i + "]"));
        }
        return items;
    }

    private Map<String, Object> map(JsonNode node, Schema schema, String path) {
        if (!node.isObject()) {
            throw error(path, "expected an object");
        }
        Map<String, Object> entries = new LinkedHashMap<>();
        node.properties().forEach(entry -> entries.put(entry.getKey(),
                convert(entry.getValue(), schema.getValueType(), path + "." + entry.getKey())));
        return entries;
    }

    private static String string(JsonNode node, String path) {
        if (node.isContainerNode()) {
            return node.toString();
        }
        return text(node, path, "a string");
    }

    private static int integer(JsonNode node, String path) {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw error(path, "expected a whole number up to " + Integer.MAX_VALUE);
        }
        return node.intValue();
    }

    private Object longValue(JsonNode node, Schema schema, String path) {
        if (!isTimestamp(schema)) {
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw error(path, "expected a whole number");
            }
            return node.longValue();
        }
        Instant instant;
        if (node.isIntegralNumber()) {
            instant = Instant.ofEpochMilli(node.longValue());
        } else {
            try {
                instant = Times.parseInstant(text(node, path, "a time"), clock.instant(), Times.Direction.FUTURE);
            } catch (InputException e) {
                throw error(path, e.getMessage());
            }
        }
        // Generated classes hold timestamps as Instant (their model has the conversion); generic ones as millis.
        return model.getConversionFor(schema.getLogicalType()) != null ? instant : instant.toEpochMilli();
    }

    private static double number(JsonNode node, String path) {
        if (!node.isNumber()) {
            throw error(path, "expected a number");
        }
        return node.doubleValue();
    }

    private static String text(JsonNode node, String path, String expected) {
        if (!node.isTextual()) {
            throw error(path, "expected " + expected);
        }
        return node.textValue();
    }

    private static boolean isTimestamp(Schema schema) {
        return schema.getLogicalType() instanceof LogicalTypes.TimestampMillis;
    }

    private static String describe(Schema schema) {
        return switch (schema.getType()) {
            case RECORD -> "an object (" + schema.getName() + ")";
            case ARRAY -> "an array";
            case MAP -> "an object";
            case ENUM -> "one of " + schema.getEnumSymbols();
            case LONG -> isTimestamp(schema) ? "a time" : "a whole number";
            case INT -> "a whole number";
            default -> "a " + schema.getType().getName();
        };
    }

    private static InputException error(String path, String message) {
        return new InputException(path.replaceFirst("^\\$\\.?", "") + ": " + message);
    }
}
