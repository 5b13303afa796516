package io.inferenceworker.serde;

import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes generated Avro classes to the Confluent wire format; the typed face of
 * {@link KafkaAvroSerializer}, with the same configuration, subjects and errors. Writes with the class's own
 * model, so its logical-type conversions apply.
 *
 * <p>No-arg for Kafka's instantiation from configuration; or over a shared client with the defaults.
 * Thread-safe once configured.
 *
 * @param <T> the generated record class
 */
public final class SpecificAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private final KafkaAvroSerializer inner;

    /** For Kafka's instantiation from configuration; {@link #configure} must be called before use. */
    public SpecificAvroSerializer() {
        this.inner = new KafkaAvroSerializer();
    }

    /** A value serializer over {@code client} with the default settings (auto-register). */
    public SpecificAvroSerializer(SchemaRegistryClient client) {
        this.inner = new KafkaAvroSerializer(client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        inner.configure(configs, isKey);
    }

    void configure(AvroSerdeConfig config, SchemaRegistryClient client, boolean isKey) {
        inner.configure(config, client, isKey);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return inner.serialize(topic, data);
    }

    @Override
    public void close() {
        inner.close();
    }
}
