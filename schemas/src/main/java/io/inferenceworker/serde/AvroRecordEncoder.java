package io.inferenceworker.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificFixed;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a value into Confluent wire-format bytes for a topic's key or value subject
 * ({@code <topic>-key}/{@code <topic>-value}, TopicNameStrategy), choosing the schema id as configured:
 * <ul>
 *   <li>{@code auto.register.schemas} (default): registers the value's schema (cached);</li>
 *   <li>otherwise {@code use.latest.version}: the subject's latest schema; a value of another schema is first
 *       resolved into it with Avro schema resolution (always "strict"), or refused;</li>
 *   <li>otherwise looks its id up and fails if it is not registered.</li>
 * </ul>
 * As in Confluent's serializer, {@code use.latest.version} only applies with {@code auto.register.schemas=false}.
 * Specific records (and generated enums) are written with their class's model, so logical-type conversions
 * apply; everything else with {@link GenericData}. Datum writers are cached per (schema, model).
 *
 * <p>Thread-safe.
 */
final class AvroRecordEncoder {

    /** How the schema id of a value is obtained. */
    enum IdSource { LATEST_VERSION, AUTO_REGISTER, LOOKUP }

    private static final Logger LOG = LoggerFactory.getLogger(AvroRecordEncoder.class);

    private record WriterKey(Schema schema, GenericData model) {
    }

    private static final Schema BOOLEAN = Schema.create(Schema.Type.BOOLEAN);
    private static final Schema INT = Schema.create(Schema.Type.INT);
    private static final Schema LONG = Schema.create(Schema.Type.LONG);
    private static final Schema FLOAT = Schema.create(Schema.Type.FLOAT);
    private static final Schema DOUBLE = Schema.create(Schema.Type.DOUBLE);
    private static final Schema STRING = Schema.create(Schema.Type.STRING);
    private static final Schema BYTES = Schema.create(Schema.Type.BYTES);

    private final SchemaRegistryClient client;
    private final String subjectSuffix;
    private final IdSource idSource;
    private final BoundedCache<WriterKey, GenericDatumWriter<Object>> writers;

    AvroRecordEncoder(SchemaRegistryClient client, boolean isKey, IdSource idSource, int cacheCapacity) {
        this.client = Objects.requireNonNull(client, "client");
        this.subjectSuffix = isKey ? "-key" : "-value";
        this.idSource = Objects.requireNonNull(idSource, "idSource");
        this.writers = new BoundedCache<>(cacheCapacity);
    }

    /** Confluent's precedence: auto-register, then latest version, then lookup. */
    static IdSource idSource(AvroSerdeConfig config) {
        if (config.autoRegisterSchemas()) {
            if (config.useLatestVersion()) {
                LOG.warn("{}=true is ignored because {} is true (as in Confluent's serializer); set it to false",
                        AvroSerdeConfig.USE_LATEST_VERSION, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS);
            }
            return IdSource.AUTO_REGISTER;
        }
        return config.useLatestVersion() ? IdSource.LATEST_VERSION : IdSource.LOOKUP;
    }

    /** The wire-format bytes of {@code value}; {@code null} stays {@code null} (tombstones). */
    byte[] encode(String topic, Object value) {
        Objects.requireNonNull(topic, "topic");
        if (value == null) {
            return null;
        }
        Schema schema = schemaOf(value);
        GenericData model = modelOf(value);
        Object datum = value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value;
        String subject = topic + subjectSuffix;
        int schemaId;
        switch (idSource) {
            case AUTO_REGISTER -> schemaId = client.register(subject, schema);
            case LOOKUP -> schemaId = client.lookupId(subject, schema);
            case LATEST_VERSION -> {
                RegisteredSchema latest = client.latest(subject);
                schemaId = latest.id();
                if (!latest.schema().equals(schema)) {
                    datum = resolveInto(latest, datum, schema, model);
                    schema = latest.schema();
                    model = GenericData.get();
                }
            }
            default -> throw new IllegalStateException("unknown id source " + idSource);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        WireFormat.writeHeader(out, schemaId);
        write(datum, schema, model, out, schemaId);
        return out.toByteArray();
    }

    private void write(Object datum, Schema schema, GenericData model, ByteArrayOutputStream out, Integer schemaId) {
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            writerFor(schema, model).write(datum, encoder);
            encoder.flush();
        } catch (IOException impossible) {
            throw new UncheckedIOException("writing to memory failed", impossible);
        } catch (RuntimeException mismatch) {
            // NullPointerException, ClassCastException, AvroRuntimeException...: the data does not fit its schema.
            throw new InvalidValueException("a " + datum.getClass().getName() + " cannot be written with schema "
                    + describe(schema) + (schemaId == null ? "" : " (id " + schemaId + ")") + ": "
                    + mismatch.getClass().getSimpleName(), schemaId, mismatch);
        }
    }

    /** {@code datum} re-read in the shape of the latest schema, as a consumer with that schema would see it. */
    private Object resolveInto(RegisteredSchema latest, Object datum, Schema schema, GenericData model) {
        ByteArrayOutputStream own = new ByteArrayOutputStream(64);
        write(datum, schema, model, own, null);
        try {
            GenericDatumReader<Object> reader = new GenericDatumReader<>(schema, latest.schema(), GenericData.get());
            return reader.read(null, DecoderFactory.get().binaryDecoder(own.toByteArray(), null));
        } catch (IOException | RuntimeException incompatible) {
            throw new InvalidValueException("a value of schema " + describe(schema)
                    + " cannot be resolved into the latest schema of subject '" + latest.subject() + "' (version "
                    + latest.version() + ", id " + latest.id() + ", " + AvroSerdeConfig.USE_LATEST_VERSION + "=true): "
                    + incompatible.getClass().getSimpleName(), latest.id(), incompatible);
        }
    }

    private GenericDatumWriter<Object> writerFor(Schema schema, GenericData model) {
        WriterKey key = new WriterKey(schema, model);
        GenericDatumWriter<Object> writer = writers.get(key);
        if (writer == null) {
            writer = model instanceof SpecificData specific
                    ? new SpecificDatumWriter<>(schema, specific)
                    : new GenericDatumWriter<>(schema, model);
            writers.put(key, writer);
        }
        return writer;
    }

    private static Schema schemaOf(Object value) {
        return switch (value) {
            case GenericContainer container -> container.getSchema();
            case Boolean b -> BOOLEAN;
            case Integer i -> INT;
            case Long l -> LONG;
            case Float f -> FLOAT;
            case Double d -> DOUBLE;
            case CharSequence s -> STRING;
            case byte[] bytes -> BYTES;
            case ByteBuffer buffer -> BYTES;
            default -> throw new InvalidValueException("values of type " + value.getClass().getName()
                    + " cannot be serialized as Avro: pass a GenericRecord, a SpecificRecord, null, Boolean, Integer,"
                    + " Long, Float, Double, CharSequence, byte[] or ByteBuffer", null, null);
        };
    }

    private static GenericData modelOf(Object value) {
        boolean generated = value instanceof SpecificRecord || value instanceof Enum<?>
                || value instanceof SpecificFixed;
        return generated ? SpecificData.getForClass(value.getClass()) : GenericData.get();
    }

    private static String describe(Schema schema) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> schema.getFullName();
            default -> schema.getType().getName();
        };
    }
}
