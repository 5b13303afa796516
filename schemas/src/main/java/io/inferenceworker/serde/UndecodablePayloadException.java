package io.inferenceworker.serde;

/**
 * The record has the wire-format header but its bytes are not valid Avro for the writer's schema: truncated
 * (including a payload that starts with the magic byte but is shorter than the 5-byte header), corrupt (bad
 * union index, negative or impossible length), or with bytes left over after the datum. The Avro error is
 * attached as the cause; the message names only its type, never payload content.
 */
public final class UndecodablePayloadException extends PoisonRecordException {

    private static final long serialVersionUID = 1L;

    /**
     * @param description what is wrong, without payload content
     * @param schemaId    the writer schema id from the header, or {@code null} if the header is incomplete
     * @param cause       the decoding error, or {@code null}
     */
    public UndecodablePayloadException(String description, Integer schemaId, Throwable cause) {
        super(description, schemaId, cause);
    }
}
