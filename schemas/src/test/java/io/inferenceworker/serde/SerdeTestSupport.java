package io.inferenceworker.serde;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import io.inferenceworker.serde.testdata.Greeting;
import io.inferenceworker.testkit.EmbeddedSchemaRegistry;

/** Shared helpers of the serde tests. */
final class SerdeTestSupport {

    private SerdeTestSupport() {
    }

    /** Serde properties naming {@code registry}, plus alternating key/value pairs. */
    static Map<String, Object> configFor(EmbeddedSchemaRegistry registry, Object... keyValues) {
        return configForUrl(registry.url(), keyValues);
    }

    static Map<String, Object> configForUrl(String url, Object... keyValues) {
        Map<String, Object> config = new HashMap<>();
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, url);
        for (int i = 0; i < keyValues.length; i += 2) {
            config.put((String) keyValues[i], keyValues[i + 1]);
        }
        return config;
    }

    static String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    static KafkaAvroSerializer serializer(EmbeddedSchemaRegistry registry, Object... keyValues) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(configFor(registry, keyValues), false);
        return serializer;
    }

    static KafkaAvroDeserializer deserializer(EmbeddedSchemaRegistry registry, Object... keyValues) {
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(configFor(registry, keyValues), false);
        return deserializer;
    }

    static GenericRecord greetingV1(String text, int count) {
        GenericRecord record = new GenericData.Record(Greeting.V1);
        record.put("text", text);
        record.put("count", count);
        return record;
    }

    static GenericRecord greetingV2(String text, int count, String language) {
        GenericRecord record = new GenericData.Record(Greeting.SCHEMA$);
        record.put("text", text);
        record.put("count", count);
        record.put("language", language);
        return record;
    }

    static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
