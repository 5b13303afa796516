package io.inferenceworker.serde;

import java.io.ByteArrayOutputStream;

/**
 * The Confluent wire format: magic byte {@code 0}, the schema id as a 4-byte big-endian signed int, then the
 * Avro binary encoding of the datum.
 */
final class WireFormat {

    static final byte MAGIC_BYTE = 0;
    static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    static void writeHeader(ByteArrayOutputStream out, int schemaId) {
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
    }

    /**
     * The schema id of a record's bytes.
     *
     * @throws BadMagicByteException        if {@code data} is empty or does not start with the magic byte
     * @throws UndecodablePayloadException if it starts with the magic byte but is shorter than the header
     */
    static int readSchemaId(byte[] data) {
        if (data.length == 0) {
            throw new BadMagicByteException(0, null);
        }
        if (data[0] != MAGIC_BYTE) {
            throw new BadMagicByteException(data.length, data[0] & 0xFF);
        }
        if (data.length < HEADER_SIZE) {
            throw new UndecodablePayloadException("payload of " + data.length + " bytes is shorter than the "
                    + HEADER_SIZE + "-byte Confluent wire-format header", null, null);
        }
        return (data[1] & 0xFF) << 24 | (data[2] & 0xFF) << 16 | (data[3] & 0xFF) << 8 | (data[4] & 0xFF);
    }
}
