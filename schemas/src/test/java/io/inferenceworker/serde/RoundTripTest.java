package io.inferenceworker.serde;

import static io.inferenceworker.serde.SerdeTestSupport.configFor;
import static io.inferenceworker.serde.SerdeTestSupport.greetingV2;
import static io.inferenceworker.serde.SerdeTestSupport.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Role;
import io.inferenceworker.serde.testdata.Greeting;
import io.inferenceworker.testkit.EmbeddedSchemaRegistry;

class RoundTripTest {

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
    void genericRecordsOfEveryShapeRoundTrip() throws Exception {
        Schema schema;
        try (InputStream avsc = resource("fixtures/kafkajs/fixture.avsc")) {
            schema = new Schema.Parser().parse(avsc);
        }
        JsonNode records;
        try (InputStream json = resource("fixtures/kafkajs/records.json")) {
            records = new ObjectMapper().readTree(json);
        }
        String topic = uniqueTopic("generic");
        try (KafkaAvroSerializer serializer = SerdeTestSupport.serializer(registry);
             KafkaAvroDeserializer deserializer = SerdeTestSupport.deserializer(registry)) {
            for (JsonNode expected : records) {
                Object datum = FixtureJson.toDatum(expected, schema);
                Object read = deserializer.deserialize(topic, serializer.serialize(topic, datum));
                assertThat(read).isInstanceOf(GenericRecord.class).isEqualTo(datum);
                assertThat(FixtureJson.sameValue(FixtureJson.toJson(read, schema), expected))
                        .as("decoded %s", read).isTrue();
            }
        }
    }

    @Test
    void largeNestedCollectionsSurviveBlockChunkingAndSkipping() {
        Schema writer = SerdeTestSupport.parse("""
                {"type":"record","name":"Big","namespace":"chunks","fields":[
                  {"name":"dropped","type":{"type":"array","items":{"type":"map","values":{"type":"array","items":"int"}}}},
                  {"name":"numbers","type":{"type":"array","items":"long"}},
                  {"name":"nested","type":{"type":"array","items":{"type":"array","items":"string"}}},
                  {"name":"index","type":{"type":"map","values":{"type":"array","items":"int"}}}
                ]}""");
        Schema reader = SerdeTestSupport.parse("""
                {"type":"record","name":"Big","namespace":"chunks","fields":[
                  {"name":"numbers","type":{"type":"array","items":"long"}},
                  {"name":"nested","type":{"type":"array","items":{"type":"array","items":"string"}}},
                  {"name":"index","type":{"type":"map","values":{"type":"array","items":"int"}}}
                ]}""");
        List<Long> numbers = new java.util.ArrayList<>();
        for (long i = 0; i < 5_000; i++) {
            numbers.add(i * 1_000_003L);
        }
        List<List<String>> nested = new java.util.ArrayList<>();
        Map<String, List<Integer>> index = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 1_500; i++) {
            nested.add(i % 100 == 0 ? java.util.Collections.nCopies(2_000, "s" + i) : List.of("a" + i));
            index.put("k" + i, i % 500 == 0 ? java.util.Collections.nCopies(1_100, i) : List.of(i));
        }
        GenericRecord big = new GenericData.Record(writer);
        big.put("dropped", java.util.Collections.nCopies(1_200, Map.of("m", java.util.Collections.nCopies(1_300, 7))));
        big.put("numbers", numbers);
        big.put("nested", nested);
        big.put("index", index);
        String topic = uniqueTopic("chunks");
        byte[] bytes = serializeOnce(topic, big);
        try (KafkaAvroDeserializer deserializer = SerdeTestSupport.deserializer(registry)) {
            GenericRecord same = (GenericRecord) deserializer.deserialize(topic, bytes);
            assertThat(FixtureJson.toJson(same, writer)).isEqualTo(FixtureJson.toJson(big, writer));
            GenericRecord projected = (GenericRecord) deserializer.deserialize(topic, bytes, reader);
            assertThat((List<?>) projected.get("numbers")).hasSize(5_000).last().isEqualTo(4_999 * 1_000_003L);
            assertThat(projected.get("nested").toString()).isEqualTo(nested.toString());
            assertThat((Map<?, ?>) projected.get("index")).hasSize(1_500);
            assertThat(((Map<?, ?>) projected.get("index")).get(new org.apache.avro.util.Utf8("k500")))
                    .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).hasSize(1_100);
        }
    }

    @Test
    void specificRecordsRoundTripWithTheTypedSerde() {
        String topic = uniqueTopic("specific");
        Greeting greeting = new Greeting("hello", 3, "de");
        try (SpecificAvroSerde<Greeting> serde = new SpecificAvroSerde<>(Greeting.class)) {
            serde.configure(configFor(registry), false);
            Greeting read = serde.deserializer().deserialize(topic, serde.serializer().serialize(topic, greeting));
            assertThat(read).isEqualTo(greeting);
            assertThat(read.getText()).isEqualTo("hello");
        }
    }

    @Test
    void specificReaderConfigReturnsTheGeneratedClassNamedByTheWriter() {
        String topic = uniqueTopic("specific-reader");
        byte[] bytes;
        try (KafkaAvroSerializer serializer = SerdeTestSupport.serializer(registry)) {
            bytes = serializer.serialize(topic, greetingV2("hi", 1, "fr"));
        }
        try (KafkaAvroDeserializer generic = SerdeTestSupport.deserializer(registry);
             KafkaAvroDeserializer specific = SerdeTestSupport.deserializer(registry,
                     AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true);
             SpecificAvroDeserializer<Greeting> byName = new SpecificAvroDeserializer<>()) {
            byName.configure(configFor(registry), false);
            assertThat(generic.deserialize(topic, bytes)).isInstanceOf(GenericData.Record.class);
            assertThat(specific.deserialize(topic, bytes)).isEqualTo(new Greeting("hi", 1, "fr"));
            assertThat(byName.deserialize(topic, bytes)).isEqualTo(new Greeting("hi", 1, "fr"));
            // Primitives stay primitives with specific.avro.reader, as in Confluent's deserializer...
            byte[] text = serializeOnce(topic + "-s", "plain");
            assertThat(specific.deserialize(topic, text)).isEqualTo("plain");
            // ...but the typed deserializer insists on a record.
            assertThatThrownBy(() -> byName.deserialize(topic, text))
                    .isInstanceOf(IncompatibleSchemaException.class).hasMessageContaining("STRING");
        }
    }

    @Test
    void specificReaderWithoutTheClassIsAnIncompatibleSchema() {
        Schema unknown = SerdeTestSupport.parse("""
                {"type":"record","name":"NoSuchClass","namespace":"io.inferenceworker.nowhere",
                 "fields":[{"name":"a","type":"int"}]}""");
        GenericRecord record = new GenericData.Record(unknown);
        record.put("a", 1);
        String topic = uniqueTopic("no-class");
        byte[] bytes = serializeOnce(topic, record);
        try (KafkaAvroDeserializer specific = SerdeTestSupport.deserializer(registry,
                AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, "true")) {
            assertThatThrownBy(() -> specific.deserialize(topic, bytes))
                    .isInstanceOf(IncompatibleSchemaException.class)
                    .isInstanceOf(PoisonRecordException.class)
                    .hasMessageContaining("io.inferenceworker.nowhere.NoSuchClass");
        }
    }

    @Test
    void generatedContractsRoundTripWithTheirLogicalTypes() {
        String topic = uniqueTopic("requests");
        CompletionRequest request = CompletionRequest.newBuilder()
                .setJobId("job-42")
                .setProvider("vultr-main")
                .setMessages(List.of(Message.newBuilder().setRole(Role.USER).setContent("Hallo, Welt 🌍").build()))
                .setDeadline(Instant.parse("2030-01-01T00:00:00.123Z"))
                .setMetadata(Map.of("trace", "abc"))
                .build();
        try (CachedSchemaRegistryClient client = CachedSchemaRegistryClient.of(AvroSerdeConfig.from(configFor(registry)));
             SpecificAvroSerializer<CompletionRequest> serializer = new SpecificAvroSerializer<>(client);
             SpecificAvroDeserializer<CompletionRequest> deserializer =
                     new SpecificAvroDeserializer<>(CompletionRequest.class, client)) {
            CompletionRequest read = deserializer.deserialize(topic, serializer.serialize(topic, request));
            assertThat(read).isEqualTo(request);
            assertThat(read.getDeadline()).isEqualTo(Instant.parse("2030-01-01T00:00:00.123Z"));
        }
    }

    private static byte[] serializeOnce(String topic, Object value) {
        try (KafkaAvroSerializer serializer = SerdeTestSupport.serializer(registry)) {
            return serializer.serialize(topic, value);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = RoundTripTest.class.getClassLoader().getResourceAsStream(name);
        assertThat(in).as(name).isNotNull();
        return in;
    }
}
