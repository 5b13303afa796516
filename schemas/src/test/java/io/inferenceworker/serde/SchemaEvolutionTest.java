package io.inferenceworker.serde;

import static io.inferenceworker.serde.SerdeTestSupport.greetingV1;
import static io.inferenceworker.serde.SerdeTestSupport.greetingV2;
import static io.inferenceworker.serde.SerdeTestSupport.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.inferenceworker.serde.testdata.Greeting;
import io.inferenceworker.testkit.EmbeddedSchemaRegistry;

/** Old and new producers on one topic: each record is read with its writer's schema, resolved to the reader's. */
class SchemaEvolutionTest {

    private static EmbeddedSchemaRegistry registry;
    private static KafkaAvroSerializer serializer;

    @BeforeAll
    static void start() {
        registry = EmbeddedSchemaRegistry.start();
        serializer = SerdeTestSupport.serializer(registry);
    }

    @AfterAll
    static void stop() {
        serializer.close();
        registry.close();
    }

    @Test
    void newReaderFillsTheDefaultIntoRecordsOfOldWriters() {
        String topic = uniqueTopic("v1-to-v2");
        byte[] oldRecord = serializer.serialize(topic, greetingV1("hello", 1));
        byte[] newRecord = serializer.serialize(topic, greetingV2("bonjour", 2, "fr"));
        assertThat(schemaId(oldRecord)).isNotEqualTo(schemaId(newRecord));

        try (SpecificAvroDeserializer<Greeting> reader = new SpecificAvroDeserializer<>(Greeting.class)) {
            reader.configure(SerdeTestSupport.configFor(registry), false);
            assertThat(reader.deserialize(topic, oldRecord)).isEqualTo(new Greeting("hello", 1, "en"));
            assertThat(reader.deserialize(topic, newRecord)).isEqualTo(new Greeting("bonjour", 2, "fr"));
        }
        try (KafkaAvroDeserializer generic = SerdeTestSupport.deserializer(registry)) {
            GenericRecord asV2 = (GenericRecord) generic.deserialize(topic, oldRecord, Greeting.SCHEMA$);
            assertThat(asV2.get("language")).hasToString("en");
        }
    }

    @Test
    void oldReaderIgnoresTheFieldsOfNewWriters() {
        String topic = uniqueTopic("v2-to-v1");
        serializer.serialize(topic, greetingV1("hello", 1));
        byte[] newRecord = serializer.serialize(topic, greetingV2("hola", 5, "es"));

        try (KafkaAvroDeserializer generic = SerdeTestSupport.deserializer(registry)) {
            GenericRecord asV1 = (GenericRecord) generic.deserialize(topic, newRecord, Greeting.V1);
            assertThat(asV1.getSchema()).isEqualTo(Greeting.V1);
            assertThat(asV1.get("text")).hasToString("hola");
            assertThat(asV1.get("count")).isEqualTo(5);
            // The generic default reads in the writer's own shape.
            assertThat(((GenericRecord) generic.deserialize(topic, newRecord)).get("language")).hasToString("es");
        }
    }

    @Test
    void unresolvableWriterSchemasArePoisonWithAvrosReport() {
        Schema renamedField = SerdeTestSupport.parse("""
                {"type": "record", "name": "Greeting", "namespace": "io.inferenceworker.serde.testdata",
                 "fields": [{"name": "message", "type": "string"}, {"name": "count", "type": "int"}]}""");
        GenericRecord record = new org.apache.avro.generic.GenericData.Record(renamedField);
        record.put("message", "no text field");
        record.put("count", 1);
        String topic = uniqueTopic("incompatible");
        byte[] bytes = serializer.serialize(topic, record);

        try (SpecificAvroDeserializer<Greeting> reader = new SpecificAvroDeserializer<>(Greeting.class)) {
            reader.configure(SerdeTestSupport.configFor(registry), false);
            assertThatThrownBy(() -> reader.deserialize(topic, bytes))
                    .isInstanceOf(IncompatibleSchemaException.class)
                    .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE")
                    .hasMessageContaining("text")
                    .hasMessageNotContaining("no text field")
                    .satisfies(e -> assertThat(((SerdeException) e).schemaId()).hasValue(schemaId(bytes)));
        }
    }

    private static int schemaId(byte[] bytes) {
        return java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt();
    }
}
