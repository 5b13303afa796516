package io.inferenceworker.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.stream.Collectors;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.util.Utf8;

import io.inferenceworker.serde.ReaderSchemaChoice.Prepared;

/**
 * Turns Confluent wire-format bytes into a value: reads the header, fetches the writer's schema through the
 * (caching) registry client, resolves it against the reader's schema, decodes with bounded allocation.
 * Prepared datum readers are cached per (writer id, reader schema).
 *
 * <p>Every failure that is the record's fault is a {@link PoisonRecordException}; registry failures pass
 * through unchanged. A top-level string is returned as {@link String} and top-level bytes as {@code byte[]},
 * as Confluent's deserializer does; records as GenericRecord or SpecificRecord per {@link ReaderSchemaChoice}.
 *
 * <p>Thread-safe.
 */
final class AvroRecordDecoder {

    private record ReaderKey(int schemaId, ReaderSchemaChoice choice) {
    }

    private final SchemaRegistryClient client;
    private final ReaderSchemaChoice defaultChoice;
    private final BoundedCache<ReaderKey, Prepared> readers;
    private final SingleFlight<ReaderKey> preparing;

    AvroRecordDecoder(SchemaRegistryClient client, ReaderSchemaChoice defaultChoice, int cacheCapacity) {
        this.client = Objects.requireNonNull(client, "client");
        this.defaultChoice = Objects.requireNonNull(defaultChoice, "defaultChoice");
        this.readers = new BoundedCache<>(cacheCapacity);
        this.preparing = new SingleFlight<>();
    }

    /** Decodes with the configured reader choice; {@code null} stays {@code null} (tombstones). */
    Object decode(byte[] data) {
        return decode(data, defaultChoice);
    }

    /** Decodes with {@code choice} instead of the configured one. */
    Object decode(byte[] data, ReaderSchemaChoice choice) {
        if (data == null) {
            return null;
        }
        int schemaId = WireFormat.readSchemaId(data);
        Prepared prepared = readerFor(schemaId, choice);
        BoundedBinaryDecoder in = new BoundedBinaryDecoder(data, WireFormat.HEADER_SIZE,
                data.length - WireFormat.HEADER_SIZE);
        Object value;
        try {
            value = prepared.datumReader().read(null, in);
        } catch (IOException | RuntimeException failure) {
            throw readFailure(prepared, schemaId, data.length, failure);
        } catch (StackOverflowError tooDeep) {
            throw new UndecodablePayloadException("payload of " + data.length + " bytes with schema id " + schemaId
                    + " nests deeper than the stack allows", schemaId, tooDeep);
        }
        if (!in.isFullyConsumed()) {
            throw new UndecodablePayloadException("payload of " + data.length + " bytes with schema id " + schemaId
                    + " has " + in.remaining() + " bytes left over after the datum", schemaId, null);
        }
        return topLevel(value);
    }

    private Prepared readerFor(int schemaId, ReaderSchemaChoice choice) {
        ReaderKey key = new ReaderKey(schemaId, choice);
        Prepared cached = readers.get(key);
        if (cached != null) {
            return cached;
        }
        // One caller prepares, the others wait: a worker starting on a backlog decodes a thousand records of one
        // schema at once, and preparing (schema resolution, Avro's fast reader) is the costly part of a cold decode.
        return preparing.call(key, () -> {
            Prepared prepared = choice.prepare(client.getById(schemaId), schemaId);
            readers.put(key, prepared);
            return prepared;
        });
    }

    /** Incompatible schemas if Avro says so for this pair, otherwise corrupt bytes. */
    private static PoisonRecordException readFailure(Prepared prepared, int schemaId, int length, Throwable failure) {
        if (prepared.writer() != prepared.reader() && !prepared.writer().equals(prepared.reader())) {
            SchemaPairCompatibility compatibility =
                    SchemaCompatibility.checkReaderWriterCompatibility(prepared.reader(), prepared.writer());
            if (compatibility.getType() == SchemaCompatibility.SchemaCompatibilityType.INCOMPATIBLE) {
                String report = compatibility.getResult().getIncompatibilities().stream()
                        .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                        .collect(Collectors.joining("; "));
                return new IncompatibleSchemaException("writer schema id " + schemaId + " ("
                        + prepared.writer().getFullName() + ") cannot be read as " + prepared.reader().getFullName()
                        + ": " + report, schemaId, failure);
            }
        }
        return new UndecodablePayloadException("payload of " + length + " bytes with schema id " + schemaId
                + " is not valid Avro for that schema (" + failure.getClass().getSimpleName() + ")", schemaId, failure);
    }

    private static Object topLevel(Object value) {
        if (value instanceof Utf8 text) {
            return text.toString();
        }
        if (value instanceof ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            return copy;
        }
        return value;
    }
}
