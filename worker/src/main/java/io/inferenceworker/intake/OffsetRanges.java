package io.inferenceworker.intake;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * A set of offsets held as disjoint inclusive ranges, ascending: memory and work grow with the number of ranges, never
 * with the number of offsets in them (one range of a million completed offsets is one entry).
 *
 * <p>Not thread-safe: owned by the poll thread.
 */
final class OffsetRanges {
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    static OffsetRanges empty() {
        return new OffsetRanges();
    }

    /**
     * Appends {@code [first, last]} above every range held.
     *
     * @throws IllegalArgumentException when it is empty or not above the last range
     */
    void append(long first, long last) {
        if (first > last || (!ranges.isEmpty() && first <= ranges.lastEntry().getValue())) {
            throw new IllegalArgumentException("range " + first + "-" + last + " is empty or not ascending");
        }
        Map.Entry<Long, Long> tail = ranges.lastEntry();
        if (tail != null && tail.getValue() + 1 == first) {
            ranges.put(tail.getKey(), last);
        } else {
            ranges.put(first, last);
        }
    }

    boolean contains(long offset) {
        Map.Entry<Long, Long> e = ranges.floorEntry(offset);
        return e != null && e.getValue() >= offset;
    }

    /** Forgets the offsets below {@code offset}: amortised O(1) per range dropped. */
    void dropBelow(long offset) {
        Map.Entry<Long, Long> first;
        while ((first = ranges.firstEntry()) != null && first.getKey() < offset) {
            ranges.pollFirstEntry();
            if (first.getValue() >= offset) {
                ranges.put(offset, first.getValue());
                return;
            }
        }
    }

    /**
     * Passes the ranges at or above {@code from} (the first one clipped to it), ascending, to {@code sink} until it
     * returns false.
     *
     * @return false when the sink stopped early
     */
    boolean forEachFrom(long from, BiPredicate<Long, Long> sink) {
        Map.Entry<Long, Long> floor = ranges.floorEntry(from);
        Long start = floor != null && floor.getValue() >= from ? floor.getKey() : ranges.ceilingKey(from);
        if (start == null) {
            return true;
        }
        for (Map.Entry<Long, Long> e : ranges.tailMap(start, true).entrySet()) {
            if (!sink.test(Math.max(e.getKey(), from), e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** Number of ranges (not offsets). */
    int rangeCount() {
        return ranges.size();
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("[");
        ranges.forEach((a, b) -> out.append(out.length() > 1 ? "," : "").append(a).append('-').append(b));
        return out.append(']').toString();
    }
}
