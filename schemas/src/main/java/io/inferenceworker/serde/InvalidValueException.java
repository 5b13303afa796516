package io.inferenceworker.serde;

/**
 * A value handed to a serializer cannot be written: its type is not an Avro type (only
 * {@code GenericContainer}s such as GenericRecord and SpecificRecord, {@code null}, Boolean, Integer, Long,
 * Float, Double, CharSequence, byte[] and ByteBuffer are), its data does not match its own schema (e.g. null
 * in a non-nullable field), or with {@code use.latest.version} it cannot be resolved to the subject's latest
 * schema. The Avro error is attached as cause; the message names the value's class, never its content.
 */
public final class InvalidValueException extends SerdeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message  what cannot be written and why (no value content)
     * @param schemaId the schema id concerned, or {@code null}
     * @param cause    the Avro error, or {@code null}
     */
    public InvalidValueException(String message, Integer schemaId, Throwable cause) {
        super(message, schemaId, cause);
    }
}
