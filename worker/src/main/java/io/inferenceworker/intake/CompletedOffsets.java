package io.inferenceworker.intake;

import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * The commit metadata of the consumer-group intake: which offsets beyond the committed one are already complete,
 * and which log that claim is about.
 *
 * <p>Format {@code iw2:<topic ID>:<committed offset>:<ranges>}, the ranges comma-separated {@code a} or {@code a-b}
 * offsets relative to the committed offset, e.g. {@code iw2:vO3dbsOITmWRQ5mIVUxJrQ:1200:2-40,45}. The topic ID and the
 * offset let the next owner check that the claim is about the log it reads: a topic deleted and recreated under the
 * same name has another ID, and an offset moved by a tool or a reset no longer matches (see {@link Resume}).
 *
 * <p>Brokers cap metadata at {@code offset.metadata.max.bytes} (4,096 bytes by default; a commit over it fails as a
 * whole), so an encoding stops at {@link #MAX_LENGTH} characters (ASCII only): the ranges past the cap are left out,
 * which only means those records are processed again by the next owner (at-least-once), never that one is skipped.
 *
 * <p>{@code iw1:} metadata (written before the topic ID and offset were recorded) is ignored: it cannot be checked
 * against the log, so trusting it could skip new records at the offsets it names. Ignoring it replays, once, the
 * records completed beyond the gap at the upgrade.
 *
 * <p>Stateless; the {@link Encoder} is not thread-safe.
 */
final class CompletedOffsets {
    static final String PREFIX = "iw2:";
    static final int MAX_LENGTH = 3_900;

    /** A decoded claim: {@code completed} holds absolute offsets above {@code offset}. */
    record Claim(Uuid topicId, long offset, OffsetRanges completed) {
    }

    private CompletedOffsets() {
    }

    static Encoder encoder(Uuid topicId, long committedOffset) {
        return new Encoder(topicId, committedOffset);
    }

    /** Builds one metadata string from ascending absolute ranges above the committed offset; merges adjacent ones. */
    static final class Encoder {
        private final StringBuilder out;
        private final int header;
        private final long base;
        private long openFirst = -1;
        private long openLast = -1;
        private boolean full;

        private Encoder(Uuid topicId, long base) {
            if (base < 0) {
                throw new IllegalArgumentException("committed offset must be >= 0");
            }
            this.base = base;
            this.out = new StringBuilder(128).append(PREFIX).append(Objects.requireNonNull(topicId, "topicId"))
                    .append(':').append(base).append(':');
            this.header = out.length();
        }

        /**
         * Adds {@code [first, last]} (absolute, above the committed offset and above every range added so far).
         *
         * @return false once the cap is reached: later ranges are left out
         */
        boolean add(long first, long last) {
            if (full) {
                return false;
            }
            if (first <= base || first > last || (openFirst >= 0 && first <= openLast)) {
                throw new IllegalArgumentException("range " + first + "-" + last + " out of order");
            }
            if (openFirst >= 0 && first == openLast + 1) {
                openLast = last;
                return true;
            }
            flush();
            if (full) {
                return false;
            }
            openFirst = first;
            openLast = last;
            return true;
        }

        private void flush() {
            if (openFirst < 0) {
                return;
            }
            long a = openFirst - base;
            long b = openLast - base;
            String range = a == b ? Long.toString(a) : a + "-" + b;
            int needed = range.length() + (out.length() > header ? 1 : 0);
            if (out.length() + needed > MAX_LENGTH) {
                full = true;
            } else {
                out.append(out.length() > header ? "," : "").append(range);
            }
            openFirst = -1;
        }

        /** The metadata; the encoder must not be used afterwards. */
        String finish() {
            flush();
            return out.toString();
        }
    }

    /** The claim in {@code metadata}; empty for {@code iw1:}, foreign, malformed or absent metadata. */
    static Optional<Claim> decode(String metadata) {
        if (metadata == null || !metadata.startsWith(PREFIX) || metadata.length() > 2 * MAX_LENGTH) {
            return Optional.empty();
        }
        String[] parts = metadata.substring(PREFIX.length()).split(":", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            Uuid topicId = Uuid.fromString(parts[0]);
            long base = Long.parseLong(parts[1]);
            if (base < 0) {
                return Optional.empty();
            }
            OffsetRanges completed = OffsetRanges.empty();
            if (!parts[2].isEmpty()) {
                long previous = 0;
                for (String range : parts[2].split(",", -1)) {
                    int dash = range.indexOf('-');
                    long a = Long.parseLong(dash < 0 ? range : range.substring(0, dash));
                    long b = dash < 0 ? a : Long.parseLong(range.substring(dash + 1));
                    if (a <= previous || b < a) { // ranges start above the committed offset, ascending
                        return Optional.empty();
                    }
                    completed.append(Math.addExact(base, a), Math.addExact(base, b));
                    previous = b;
                }
            }
            return Optional.of(new Claim(topicId, base, completed));
        } catch (IllegalArgumentException | ArithmeticException e) { // NumberFormatException is one
            return Optional.empty();
        }
    }
}
