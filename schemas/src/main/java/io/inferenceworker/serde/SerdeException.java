package io.inferenceworker.serde;

import java.util.OptionalInt;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Root of every error the Avro serde raises while serializing or deserializing. Callers decide with the
 * subtype (a {@code switch} over this sealed hierarchy):
 * <ul>
 *   <li>{@link PoisonRecordException}: the record itself can never be read by this consumer; dead-letter it.</li>
 *   <li>{@link RegistryUnavailableException}: transient (connection, timeout, 5xx, 408/429); retry later,
 *       never dead-letter.</li>
 *   <li>{@link RegistryAccessException}: the registry refused our credentials or TLS identity; a
 *       configuration error, neither retried nor dead-lettered.</li>
 *   <li>{@link RegistryRequestException}: the registry answered definitively no to a producer-side request
 *       (incompatible or invalid schema, schema not registered) or answered something that is not the
 *       registry protocol; a contract or configuration error.</li>
 *   <li>{@link InvalidValueException}: a value handed to a serializer cannot be written.</li>
 * </ul>
 * Messages never contain credentials or record payloads; URLs in messages are stripped of user info.
 */
public abstract sealed class SerdeException extends SerializationException
        permits PoisonRecordException, RegistryUnavailableException, RegistryAccessException,
        RegistryRequestException, InvalidValueException {

    private static final long serialVersionUID = 1L;

    private final Integer schemaId;

    SerdeException(String message, Integer schemaId, Throwable cause) {
        super(message, cause);
        this.schemaId = schemaId;
    }

    /** The registry schema id the failure concerns, when known. */
    public OptionalInt schemaId() {
        return schemaId == null ? OptionalInt.empty() : OptionalInt.of(schemaId);
    }
}
