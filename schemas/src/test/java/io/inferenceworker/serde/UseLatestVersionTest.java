package io.inferenceworker.serde;

import static io.inferenceworker.serde.SerdeTestSupport.greetingV1;
import static io.inferenceworker.serde.SerdeTestSupport.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.inferenceworker.serde.testdata.Greeting;
import io.inferenceworker.testkit.EmbeddedSchemaRegistry;
import io.inferenceworker.testkit.EmbeddedSchemaRegistry.Route;

/** {@code use.latest.version}: write with the subject's latest schema, resolving the value into it. */
class UseLatestVersionTest {

    private static EmbeddedSchemaRegistry registry;

    @BeforeAll
    static void start() {
        registry = EmbeddedSchemaRegistry.start();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void anOlderValueIsWrittenAsTheLatestSchemaWithItsDefaults() {
        String topic = uniqueTopic("latest");
        registry.register(topic + "-value", Greeting.V1.toString());
        int latestId = registry.register(topic + "-value", Greeting.SCHEMA$.toString());
        long registrations = registry.callCount(Route.REGISTER);

        byte[] bytes;
        try (KafkaAvroSerializer serializer = latestSerializer()) {
            bytes = serializer.serialize(topic, greetingV1("old shape", 4));
        }
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(latestId);
        assertThat(registry.callCount(Route.REGISTER)).isEqualTo(registrations);
        try (KafkaAvroDeserializer deserializer = SerdeTestSupport.deserializer(registry)) {
            GenericRecord read = (GenericRecord) deserializer.deserialize(topic, bytes);
            assertThat(read.getSchema()).isEqualTo(Greeting.SCHEMA$);
            assertThat(read.get("language")).hasToString("en");
            assertThat(read.get("text")).hasToString("old shape");
        }
    }

    @Test
    void aNewerSpecificValueIsProjectedOntoAnOlderLatest() {
        String topic = uniqueTopic("projected");
        int v1 = registry.register(topic + "-value", Greeting.V1.toString());
        byte[] bytes;
        try (KafkaAvroSerializer serializer = latestSerializer()) {
            bytes = serializer.serialize(topic, new Greeting("new shape", 9, "it"));
        }
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(v1);
        try (KafkaAvroDeserializer deserializer = SerdeTestSupport.deserializer(registry)) {
            assertThat(deserializer.deserialize(topic, bytes)).isEqualTo(greetingV1("new shape", 9));
        }
    }

    @Test
    void aValueThatCannotResolveIntoTheLatestIsRefused() {
        String topic = uniqueTopic("unresolvable");
        int v1 = registry.register(topic + "-value", Greeting.V1.toString());
        Schema stringCount = SerdeTestSupport.parse("""
                {"type":"record","name":"Greeting","namespace":"io.inferenceworker.serde.testdata",
                 "fields":[{"name":"text","type":"string"},{"name":"count","type":"string"}]}""");
        GenericRecord value = new GenericData.Record(stringCount);
        value.put("text", "t");
        value.put("count", "PRIVATE-VALUE");
        try (KafkaAvroSerializer serializer = latestSerializer()) {
            InvalidValueException failure = catchThrowableOfType(InvalidValueException.class,
                    () -> serializer.serialize(topic, value));
            assertThat(failure.schemaId()).hasValue(v1);
            assertThat(failure).hasMessageContaining(AvroSerdeConfig.USE_LATEST_VERSION)
                    .hasMessageContaining(topic + "-value")
                    .hasMessageNotContaining("PRIVATE-VALUE");
        }
    }

    @Test
    void autoRegisterTakesPrecedenceAsInConfluentsSerializer() {
        String topic = uniqueTopic("precedence");
        registry.register(topic + "-value", Greeting.V1.toString());
        int latestId = registry.register(topic + "-value", Greeting.SCHEMA$.toString());
        byte[] bytes;
        try (KafkaAvroSerializer serializer = SerdeTestSupport.serializer(registry,
                AvroSerdeConfig.USE_LATEST_VERSION, "true")) {
            bytes = serializer.serialize(topic, greetingV1("own schema", 1));
        }
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isNotEqualTo(latestId);
        try (KafkaAvroDeserializer deserializer = SerdeTestSupport.deserializer(registry)) {
            assertThat(((GenericRecord) deserializer.deserialize(topic, bytes)).getSchema()).isEqualTo(Greeting.V1);
        }
    }

    private static KafkaAvroSerializer latestSerializer() {
        return SerdeTestSupport.serializer(registry,
                AvroSerdeConfig.USE_LATEST_VERSION, "true", AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false");
    }
}
