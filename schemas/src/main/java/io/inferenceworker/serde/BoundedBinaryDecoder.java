package io.inferenceworker.serde;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoding of one in-memory payload that refuses lengths larger than the bytes left.
 *
 * <p>Avro's own decoder allocates whatever length a string or bytes value announces before reading it, and its
 * datum readers pre-size arrays and maps to the item count a block announces, so a corrupt record announcing
 * 1.5 G bytes or items exhausts the heap of a consumer that only received a few bytes. Here:
 * <ul>
 *   <li>strings, bytes and fixed are read by this class after checking the length against the remaining input;</li>
 *   <li>map block counts are checked likewise (every entry has a key of at least one byte);</li>
 *   <li>array and map blocks are handed to the reader in chunks of at most {@value #MAX_CHUNK} items (the
 *       rest of a block follows as further "blocks"), so no reader pre-allocates more than that. Array counts
 *       cannot be checked against the input (items may encode to zero bytes), but a lying count runs into the
 *       end of the input as soon as the items have any size.</li>
 * </ul>
 * Everything else is delegated to Avro's unbuffered decoder over the same stream.
 *
 * <p>Not thread-safe: one instance per payload.
 */
final class BoundedBinaryDecoder extends Decoder {

    static final int MAX_CHUNK = 1024;

    private final ByteArrayInputStream in;
    private final BinaryDecoder binary;
    /** Items of the current block of each open array or map not yet handed out, innermost first. */
    private final Deque<Long> undelivered = new ArrayDeque<>();

    BoundedBinaryDecoder(byte[] data, int offset, int length) {
        this.in = new ByteArrayInputStream(data, offset, length);
        this.binary = DecoderFactory.get().directBinaryDecoder(in, null);
    }

    /** Whether every byte has been consumed. */
    boolean isFullyConsumed() {
        return in.available() == 0;
    }

    int remaining() {
        return in.available();
    }

    @Override
    public void readNull() throws IOException {
        binary.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return binary.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return binary.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return binary.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return binary.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return binary.readDouble();
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = checkedLength("string");
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        binary.readFixed(result.getBytes(), 0, length);
        return result;
    }

    @Override
    public String readString() throws IOException {
        return readString(null).toString();
    }

    @Override
    public void skipString() throws IOException {
        binary.skipFixed(checkedLength("string"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = checkedLength("bytes");
        ByteBuffer result;
        if (old != null && length <= old.capacity()) {
            result = old;
            result.clear();
        } else {
            result = ByteBuffer.allocate(length);
        }
        binary.readFixed(result.array(), result.position(), length);
        result.limit(length);
        return result;
    }

    @Override
    public void skipBytes() throws IOException {
        binary.skipFixed(checkedLength("bytes"));
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        requireRemaining(length, "fixed");
        binary.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        requireRemaining(length, "fixed");
        binary.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return binary.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return firstChunk(binary.readArrayStart());
    }

    @Override
    public long arrayNext() throws IOException {
        long left = undelivered.pop();
        return nextChunk(left > 0 ? left : binary.arrayNext());
    }

    @Override
    public long skipArray() throws IOException {
        return binary.skipArray();
    }

    @Override
    public long readMapStart() throws IOException {
        return firstChunk(checkedMapCount(binary.readMapStart()));
    }

    @Override
    public long mapNext() throws IOException {
        long left = undelivered.pop();
        return nextChunk(left > 0 ? left : checkedMapCount(binary.mapNext()));
    }

    @Override
    public long skipMap() throws IOException {
        return checkedMapCount(binary.skipMap());
    }

    @Override
    public int readIndex() throws IOException {
        return binary.readIndex();
    }

    /** The first chunk of a collection's first block; remembers the rest unless the collection is empty. */
    private long firstChunk(long blockCount) {
        if (blockCount <= 0) {
            return blockCount;
        }
        return nextChunk(blockCount);
    }

    /** At most {@link #MAX_CHUNK} of {@code available} items; 0 ends the collection. */
    private long nextChunk(long available) {
        if (available <= 0) {
            return available;
        }
        long chunk = Math.min(available, MAX_CHUNK);
        undelivered.push(available - chunk);
        return chunk;
    }

    private int checkedLength(String what) throws IOException {
        long length = binary.readLong();
        if (length < 0) {
            throw new IOException("malformed " + what + ": negative length");
        }
        requireRemaining(length, what);
        return (int) length;
    }

    private long checkedMapCount(long count) throws IOException {
        // Each entry carries a key string of at least one byte (its length), so more entries than bytes is corrupt.
        requireRemaining(count, "map block");
        return count;
    }

    private void requireRemaining(long length, String what) throws EOFException {
        if (length > in.available()) {
            throw new EOFException(what + " announces " + length + " bytes but only " + in.available() + " remain");
        }
    }
}
