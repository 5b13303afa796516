package io.inferenceworker.serde;

/**
 * The record is not in the Confluent wire format: it is empty or its first byte is not the magic byte
 * {@code 0} (typically JSON or raw Avro produced without a schema registry). A payload that starts with
 * {@code 0} but is shorter than the 5-byte header is an {@link UndecodablePayloadException} instead.
 */
public final class BadMagicByteException extends PoisonRecordException {

    private static final long serialVersionUID = 1L;

    private final int payloadLength;
    private final Integer actualMagicByte;

    /**
     * @param payloadLength   the length of the record's bytes
     * @param actualMagicByte the first byte found (0-255), or {@code null} for an empty payload
     */
    public BadMagicByteException(int payloadLength, Integer actualMagicByte) {
        super(actualMagicByte == null
                ? "empty payload: not in the Confluent wire format (no magic byte)"
                : "payload of " + payloadLength + " bytes is not in the Confluent wire format: "
                        + "its first byte is not the magic byte 0", null, null);
        this.payloadLength = payloadLength;
        this.actualMagicByte = actualMagicByte;
    }

    /** The length of the rejected payload in bytes. */
    public int payloadLength() {
        return payloadLength;
    }

    /** The first byte found (0-255), or -1 for an empty payload. Kept out of the message on purpose. */
    public int actualMagicByte() {
        return actualMagicByte == null ? -1 : actualMagicByte;
    }
}
