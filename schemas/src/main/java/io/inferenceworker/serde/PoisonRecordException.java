package io.inferenceworker.serde;

/**
 * A record that this deserializer can never turn into a value, however often it is retried: not the
 * Confluent wire format, pointing at a schema id the registry does not know, corrupt, or written with a schema
 * that cannot be read as the reader's schema. The caller should dead-letter the raw record (Kafka surfaces it
 * as the cause of a {@code RecordDeserializationException} carrying partition and offset) and move on.
 *
 * <p>Everything that is <em>not</em> a {@code PoisonRecordException} is not the record's fault: never
 * dead-letter on those.
 */
public abstract sealed class PoisonRecordException extends SerdeException
        permits BadMagicByteException, UnknownSchemaIdException, UndecodablePayloadException,
        IncompatibleSchemaException {

    private static final long serialVersionUID = 1L;

    PoisonRecordException(String message, Integer schemaId, Throwable cause) {
        super(message, schemaId, cause);
    }
}
