package io.inferenceworker.serde;

import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@link SpecificAvroSerializer} and {@link SpecificAvroDeserializer} as one Kafka Streams {@link Serde},
 * configured together over one registry client and closed together.
 *
 * <p>With a class, records read as that class whatever their writer schema version; without (Kafka Streams'
 * instantiation from {@code default.value.serde}), as the class named by each writer schema. Thread-safe
 * once configured.
 *
 * @param <T> the generated record class
 */
public final class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final RegistryClientSlot clients;
    private final SpecificAvroSerializer<T> serializer;
    private final SpecificAvroDeserializer<T> deserializer;

    /** For instantiation from configuration; {@link #configure} must be called before use. */
    public SpecificAvroSerde() {
        this.clients = new RegistryClientSlot(null);
        this.serializer = new SpecificAvroSerializer<>();
        this.deserializer = new SpecificAvroDeserializer<>();
    }

    /** Reads records as {@code type}; {@link #configure} must be called before use. */
    public SpecificAvroSerde(Class<T> type) {
        this.clients = new RegistryClientSlot(null);
        this.serializer = new SpecificAvroSerializer<>();
        this.deserializer = new SpecificAvroDeserializer<>(type);
    }

    /** Reads records as {@code type} over a shared client; usable at once as a value serde with defaults. */
    public SpecificAvroSerde(Class<T> type, SchemaRegistryClient client) {
        this.clients = new RegistryClientSlot(client);
        this.serializer = new SpecificAvroSerializer<>(client);
        this.deserializer = new SpecificAvroDeserializer<>(type, client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = AvroSerdeConfig.from(configs);
        SchemaRegistryClient client = clients.clientFor(config);
        serializer.configure(config, client, isKey);
        deserializer.configure(config, client, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
        clients.close();
    }
}
