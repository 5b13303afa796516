package io.inferenceworker.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import io.inferenceworker.testkit.EmbeddedSchemaRegistry;

/**
 * Bytes made by @kafkajs/confluent-schema-registry (committed fixtures) read back with our deserializer, and
 * our serializer writes the very same bytes. Runs everywhere: needs no Node.js.
 */
class KafkajsFixturesTest {

    private static final KafkajsFixtures FIXTURES = KafkajsFixtures.load();

    @Test
    void kafkajsBytesDecodeToTheRecordsTheyWereMadeFrom() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start();
             KafkaAvroDeserializer deserializer = SerdeTestSupport.deserializer(registry)) {
            // A fresh registry hands out ids in the same order as the one kafkajs registered with.
            assertThat(registry.register(FIXTURES.subject(), FIXTURES.schema().toString()))
                    .isEqualTo(FIXTURES.schemaId());
            assertThat(FIXTURES.kafkajsBytes()).hasSameSizeAs(FIXTURES.records()).isNotEmpty();
            for (int i = 0; i < FIXTURES.records().size(); i++) {
                byte[] bytes = FIXTURES.kafkajsBytes().get(i);
                assertThat(bytes[0]).isZero();
                assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(FIXTURES.schemaId());
                Object decoded = deserializer.deserialize(FIXTURES.topic(), bytes);
                assertThat(FixtureJson.sameValue(FixtureJson.toJson(decoded, FIXTURES.schema()), FIXTURES.records().get(i)))
                        .as("record %d decoded as %s", i, decoded).isTrue();
            }
        }
    }

    @Test
    void ourSerializerWritesTheSameBytesAsKafkajs() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start();
             KafkaAvroSerializer serializer = SerdeTestSupport.serializer(registry)) {
            for (int i = 0; i < FIXTURES.records().size(); i++) {
                Object datum = FixtureJson.toDatum(FIXTURES.records().get(i), FIXTURES.schema());
                assertThat(serializer.serialize(FIXTURES.topic(), datum)).as("record %d", i)
                        .isEqualTo(FIXTURES.kafkajsBytes().get(i));
            }
        }
    }
}
