package io.inferenceworker.serde;

import java.util.Map;
import java.util.Objects;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Deserializes Confluent wire-format records into generated Avro classes, always (whatever
 * {@code specific.avro.reader} says).
 *
 * <p>Constructed with the class {@code T}, every record is resolved against {@code T}'s schema: records of
 * older and newer writer schemas read as {@code T}, and a writer schema that cannot be resolved to it is an
 * {@link IncompatibleSchemaException}. Constructed without (Kafka's instantiation from configuration), the
 * class is the one named like each record's writer schema, as Confluent's class of the same name does.
 * Errors as for {@link KafkaAvroDeserializer}.
 *
 * <p>Thread-safe once configured. {@link #close()} closes only a client it built itself.
 *
 * @param <T> the generated record class
 */
public final class SpecificAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private final Class<T> type;
    private final RegistryClientSlot clients;
    private volatile AvroRecordDecoder decoder;

    /** For Kafka's instantiation from configuration: the class comes from each writer schema's name. */
    public SpecificAvroDeserializer() {
        this.type = null;
        this.clients = new RegistryClientSlot(null);
    }

    /** Reads every record as {@code type}; {@link #configure} must be called before use. */
    public SpecificAvroDeserializer(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
        this.clients = new RegistryClientSlot(null);
    }

    /** Reads every record as {@code type} over a shared client; usable at once. */
    public SpecificAvroDeserializer(Class<T> type, SchemaRegistryClient client) {
        this.type = Objects.requireNonNull(type, "type");
        this.clients = new RegistryClientSlot(Objects.requireNonNull(client, "client"));
        this.decoder = new AvroRecordDecoder(client, choice(), AvroSerdeConfig.DEFAULT_MAX_SCHEMAS_PER_SUBJECT);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = AvroSerdeConfig.from(configs);
        configure(config, clients.clientFor(config), isKey);
    }

    /** Configures over a client owned by the caller (a serde sharing one client between both directions). */
    void configure(AvroSerdeConfig config, SchemaRegistryClient client, boolean isKey) {
        decoder = new AvroRecordDecoder(client, choice(), config.maxSchemasPerSubject());
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        AvroRecordDecoder configured = decoder;
        if (configured == null) {
            throw new IllegalStateException("SpecificAvroDeserializer is not configured: call configure(...) first");
        }
        Object value = configured.decode(data);
        if (type != null) {
            return type.cast(value);
        }
        @SuppressWarnings("unchecked")
        T record = (T) value;
        return record;
    }

    @Override
    public void close() {
        clients.close();
    }

    private ReaderSchemaChoice choice() {
        return type == null
                ? new ReaderSchemaChoice.ClassNamedByWriter(true)
                : new ReaderSchemaChoice.GeneratedClass(type);
    }
}
