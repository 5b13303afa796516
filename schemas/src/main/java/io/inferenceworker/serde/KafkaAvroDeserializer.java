package io.inferenceworker.serde;

import java.util.Map;
import java.util.Objects;

import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Deserializes Confluent wire-format records, fetching writer schemas by id from a Confluent-compatible
 * schema registry (cached: after warm-up no registry request per record). A drop-in for Confluent's class of
 * the same name (configuration keys in {@link AvroSerdeConfig}).
 *
 * <p>Returns GenericRecord in the writer's shape by default; with {@code specific.avro.reader=true} the
 * generated class named like the writer's schema, resolved to that class's schema. Top-level strings come
 * back as String, bytes as byte[], {@code null} as {@code null}. {@link #deserialize(String, byte[], Schema)}
 * reads generically into a reader schema of the caller's choice.
 *
 * <p>Failures: {@link PoisonRecordException} subtypes when the record can never be read (dead-letter it),
 * registry exceptions otherwise (see {@link SerdeException}); Kafka's consumer wraps them in a
 * {@code RecordDeserializationException} that carries partition and offset.
 *
 * <p>No-arg for Kafka's instantiation from configuration; or over a shared client, usable at once with the
 * defaults (generic). Thread-safe once configured. {@link #close()} closes only a client it built itself.
 */
public final class KafkaAvroDeserializer implements Deserializer<Object> {

    private final RegistryClientSlot clients;
    private volatile AvroRecordDecoder decoder;

    /** For Kafka's instantiation from configuration; {@link #configure} must be called before use. */
    public KafkaAvroDeserializer() {
        this.clients = new RegistryClientSlot(null);
    }

    /** A generic deserializer over {@code client} with the default settings. */
    public KafkaAvroDeserializer(SchemaRegistryClient client) {
        this.clients = new RegistryClientSlot(Objects.requireNonNull(client, "client"));
        this.decoder = new AvroRecordDecoder(client, new ReaderSchemaChoice.WriterSchema(),
                AvroSerdeConfig.DEFAULT_MAX_SCHEMAS_PER_SUBJECT);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = AvroSerdeConfig.from(configs);
        ReaderSchemaChoice choice = config.specificAvroReader()
                ? new ReaderSchemaChoice.ClassNamedByWriter(false)
                : new ReaderSchemaChoice.WriterSchema();
        decoder = new AvroRecordDecoder(clients.clientFor(config), choice, config.maxSchemasPerSubject());
    }

    @Override
    public Object deserialize(String topic, byte[] data) {
        return decoder().decode(data);
    }

    /**
     * Reads a record generically in the shape of {@code readerSchema}, whatever version the producer wrote:
     * e.g. a consumer still on an older schema reading a newer producer's records.
     *
     * @throws IncompatibleSchemaException if the writer's schema cannot be resolved to {@code readerSchema}
     */
    public Object deserialize(String topic, byte[] data, Schema readerSchema) {
        return decoder().decode(data, new ReaderSchemaChoice.GivenSchema(readerSchema));
    }

    @Override
    public void close() {
        clients.close();
    }

    private AvroRecordDecoder decoder() {
        AvroRecordDecoder configured = decoder;
        if (configured == null) {
            throw new IllegalStateException("KafkaAvroDeserializer is not configured: call configure(...) first");
        }
        return configured;
    }
}
