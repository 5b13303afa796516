package io.inferenceworker.serde;

import java.util.Objects;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * How a deserializer picks the reader's schema for a record, given the writer's schema from the registry.
 * The writer's schema is then resolved against it by Avro schema resolution, so records written by older and
 * newer producers both read as the reader's shape.
 */
sealed interface ReaderSchemaChoice {

    /** The reader's schema and the datum reader for one writer's schema. */
    record Prepared(Schema writer, Schema reader, GenericDatumReader<Object> datumReader) {
    }

    /**
     * Prepares reading data written with {@code writer} (schema id {@code schemaId}).
     *
     * @throws IncompatibleSchemaException if no reader can be prepared for it
     */
    Prepared prepare(Schema writer, int schemaId);

    /** GenericRecord (and Avro primitives) in the writer's own shape. The default of KafkaAvroDeserializer. */
    record WriterSchema() implements ReaderSchemaChoice {
        @Override
        public Prepared prepare(Schema writer, int schemaId) {
            return new Prepared(writer, writer, new GenericDatumReader<>(writer, writer, GenericData.get()));
        }
    }

    /** GenericRecord in the shape of a reader schema chosen by the caller. */
    record GivenSchema(Schema reader) implements ReaderSchemaChoice {
        public GivenSchema {
            Objects.requireNonNull(reader, "reader");
        }

        @Override
        public Prepared prepare(Schema writer, int schemaId) {
            return new Prepared(writer, reader, new GenericDatumReader<>(writer, reader, GenericData.get()));
        }
    }

    /**
     * The generated class named like the writer's record, enum or fixed ({@code specific.avro.reader=true}).
     * Other writer schemas (primitives, unions) are read generically unless {@code requireSpecificRecord}.
     */
    record ClassNamedByWriter(boolean requireSpecificRecord) implements ReaderSchemaChoice {
        @Override
        public Prepared prepare(Schema writer, int schemaId) {
            Schema.Type kind = writer.getType();
            if (requireSpecificRecord && kind != Schema.Type.RECORD) {
                throw new IncompatibleSchemaException("schema id " + schemaId + " is a " + kind
                        + ", not a record with a generated SpecificRecord class", schemaId, null);
            }
            if (kind != Schema.Type.RECORD && kind != Schema.Type.ENUM && kind != Schema.Type.FIXED) {
                return new WriterSchema().prepare(writer, schemaId);
            }
            Class<?> type = SpecificData.get().getClass(writer);
            if (type == null) {
                throw new IncompatibleSchemaException("no generated class " + writer.getFullName()
                        + " on the classpath for schema id " + schemaId + " ("
                        + AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG + "=true)", schemaId, null);
            }
            SpecificData model = SpecificData.getForClass(type);
            Schema reader = model.getSchema(type);
            return new Prepared(writer, reader, new SpecificDatumReader<>(writer, reader, model));
        }
    }

    /** Always one generated class, whatever the writer's name: its schema is the reader's schema. */
    record GeneratedClass(Class<? extends SpecificRecord> type) implements ReaderSchemaChoice {
        public GeneratedClass {
            Objects.requireNonNull(type, "type");
        }

        @Override
        public Prepared prepare(Schema writer, int schemaId) {
            SpecificData model = SpecificData.getForClass(type);
            Schema reader = model.getSchema(type);
            return new Prepared(writer, reader, new SpecificDatumReader<>(writer, reader, model));
        }
    }
}
