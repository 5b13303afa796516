package io.inferenceworker.cli;

import io.inferenceworker.serde.IncompatibleSchemaException;
import io.inferenceworker.serde.PoisonRecordException;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decodes record values for printing: as the one generated class of a topic's kind, or, for a topic that holds
 * several record types (the dead letters) or is not one of the worker's, by each record's writer schema: the
 * generated class of that name when it is one of the worker's records, else a GenericRecord in the writer's shape.
 * Not thread-safe; closes the serdes it made.
 */
final class ValueDecoder implements AutoCloseable {

    /**
     * A decoded value, or why there is none.
     *
     * @param value   the value (null with a problem)
     * @param problem why it could not be decoded, or null
     */
    record Decoded(Object value, String problem) {
        static Decoded of(Object value) {
            return new Decoded(value, null);
        }

        static Decoded undecodable(String problem) {
            return new Decoded(null, Objects.requireNonNull(problem, "problem"));
        }

        boolean ok() {
            return problem == null;
        }
    }

    private final KafkaClients clients;
    private final Deserializer<?> primary;
    private final boolean bySchema;
    private Deserializer<Object> generic;

    private ValueDecoder(KafkaClients clients, Deserializer<?> primary, boolean bySchema) {
        this.clients = clients;
        this.primary = primary;
        this.bySchema = bySchema;
    }

    /** Decodes as {@code type}, or by each record's writer schema when it is empty. */
    static ValueDecoder of(KafkaClients clients, Optional<Class<? extends SpecificRecord>> type) {
        Objects.requireNonNull(clients, "clients");
        return type.<ValueDecoder>map(t -> new ValueDecoder(clients, clients.deserializer(t), false))
                .orElseGet(() -> new ValueDecoder(clients, clients.avroDeserializer(true), true));
    }

    /**
     * The record's value or the reason it does not decode. Registry failures are not such a reason: they
     * propagate (the command reports the registry unreachable).
     */
    Decoded decode(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return Decoded.undecodable("tombstone");
        }
        try {
            return Decoded.of(primary.deserialize(record.topic(), record.headers(), record.value()));
        } catch (IncompatibleSchemaException e) {
            if (bySchema) { // not one of the worker's records: read it in its writer's own shape
                return decodeGenerically(record);
            }
            return undecodable(e);
        } catch (PoisonRecordException e) {
            return undecodable(e);
        }
    }

    private Decoded decodeGenerically(ConsumerRecord<byte[], byte[]> record) {
        if (generic == null) {
            generic = clients.avroDeserializer(false);
        }
        try {
            return Decoded.of(generic.deserialize(record.topic(), record.headers(), record.value()));
        } catch (PoisonRecordException e) {
            return undecodable(e);
        }
    }

    private static Decoded undecodable(PoisonRecordException e) {
        return Decoded.undecodable(e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    @Override
    public void close() {
        primary.close();
        if (generic != null) {
            generic.close();
        }
    }
}
