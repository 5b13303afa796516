package io.inferenceworker.serde;

import java.util.Map;
import java.util.Objects;

import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes values to the Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro binary),
 * registering or looking up their schemas in a Confluent-compatible schema registry under
 * {@code <topic>-value} or {@code <topic>-key}. A drop-in for Confluent's class of the same name
 * (configuration keys in {@link AvroSerdeConfig}).
 *
 * <p>Accepts GenericRecord, SpecificRecord (and any other {@code GenericContainer}), {@code null}
 * (written as {@code null}: a tombstone) and the Avro primitives Boolean, Integer, Long, Float, Double,
 * CharSequence, byte[] and ByteBuffer. Failures are {@link SerdeException}s: {@link InvalidValueException}
 * for values that cannot be written, registry exceptions otherwise.
 *
 * <p>Instantiated by Kafka from configuration (no-arg constructor, then {@link #configure}); or constructed
 * with a shared {@link SchemaRegistryClient}, usable at once as a value serializer with the defaults
 * (auto-register) and reconfigurable. Thread-safe once configured. {@link #close()} closes only a client it
 * built itself.
 */
public final class KafkaAvroSerializer implements Serializer<Object> {

    private final RegistryClientSlot clients;
    private volatile AvroRecordEncoder encoder;

    /** For Kafka's instantiation from configuration; {@link #configure} must be called before use. */
    public KafkaAvroSerializer() {
        this.clients = new RegistryClientSlot(null);
    }

    /** A value serializer over {@code client} with the default settings (auto-register). */
    public KafkaAvroSerializer(SchemaRegistryClient client) {
        this.clients = new RegistryClientSlot(Objects.requireNonNull(client, "client"));
        this.encoder = new AvroRecordEncoder(client, false, AvroRecordEncoder.IdSource.AUTO_REGISTER,
                AvroSerdeConfig.DEFAULT_MAX_SCHEMAS_PER_SUBJECT);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = AvroSerdeConfig.from(configs);
        configure(config, clients.clientFor(config), isKey);
    }

    /** Configures over a client owned by the caller (a serde sharing one client between both directions). */
    void configure(AvroSerdeConfig config, SchemaRegistryClient client, boolean isKey) {
        encoder = new AvroRecordEncoder(client, isKey, AvroRecordEncoder.idSource(config),
                config.maxSchemasPerSubject());
    }

    @Override
    public byte[] serialize(String topic, Object data) {
        AvroRecordEncoder configured = encoder;
        if (configured == null) {
            throw new IllegalStateException("KafkaAvroSerializer is not configured: call configure(...) first");
        }
        return configured.encode(topic, data);
    }

    @Override
    public void close() {
        clients.close();
    }
}
