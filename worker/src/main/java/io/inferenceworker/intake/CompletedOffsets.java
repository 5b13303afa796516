package io.inferenceworker.intake;

import java.util.Iterator;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Encodes the offsets completed beyond a committed offset into the commit's metadata string, and back.
 *
 * <p>Format {@code iw1:<ranges>}: comma-separated {@code a} or {@code a-b} ranges of offsets relative to the
 * committed offset, e.g. {@code iw1:2-40,45}. Brokers cap metadata at {@code offset.metadata.max.bytes} (4,096 by
 * default), so the encoding stops at {@link #MAX_LENGTH} characters; dropping the highest ranges is safe, since
 * forgetting that a record completed only means it is processed again.
 */
final class CompletedOffsets {
    static final String PREFIX = "iw1:";
    static final int MAX_LENGTH = 3_900;

    private CompletedOffsets() {
    }

    static String encode(long committedOffset, NavigableSet<Long> completed) {
        StringBuilder out = new StringBuilder(PREFIX);
        Iterator<Long> it = completed.tailSet(committedOffset, true).iterator();
        long start = -1;
        long end = -1;
        while (it.hasNext()) {
            long rel = it.next() - committedOffset;
            if (start >= 0 && rel == end + 1) {
                end = rel;
                continue;
            }
            if (start >= 0 && !append(out, start, end)) {
                return out.toString();
            }
            start = rel;
            end = rel;
        }
        if (start >= 0) {
            append(out, start, end);
        }
        return out.toString();
    }

    private static boolean append(StringBuilder out, long start, long end) {
        String range = start == end ? Long.toString(start) : start + "-" + end;
        int needed = range.length() + (out.length() > PREFIX.length() ? 1 : 0);
        if (out.length() + needed > MAX_LENGTH) {
            return false;
        }
        if (out.length() > PREFIX.length()) {
            out.append(',');
        }
        out.append(range);
        return true;
    }

    /** Offsets in {@code metadata}; empty for metadata that is not ours or is malformed. */
    static Set<Long> decode(long committedOffset, String metadata) {
        Set<Long> offsets = new TreeSet<>();
        if (metadata == null || !metadata.startsWith(PREFIX) || metadata.length() == PREFIX.length()) {
            return offsets;
        }
        try {
            for (String range : metadata.substring(PREFIX.length()).split(",")) {
                int dash = range.indexOf('-');
                long start = Long.parseLong(dash < 0 ? range : range.substring(0, dash));
                long end = dash < 0 ? start : Long.parseLong(range.substring(dash + 1));
                for (long rel = start; rel <= end; rel++) {
                    offsets.add(committedOffset + rel);
                }
            }
        } catch (NumberFormatException e) {
            return new TreeSet<>();
        }
        return offsets;
    }
}
