package io.inferenceworker.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * The offsets a worker's commit marks completed beyond the committed offset, read from the commit metadata in the
 * format the README documents ({@code iw2:<topic ID>:<committed offset>:<ranges>}, the ranges comma-separated
 * {@code a} or {@code a-b} relative to the committed offset), kept as ranges. Metadata in another format, or written
 * for another offset, counts as marking nothing (the worker replays then too). The suite never recreates the request
 * topic, so the topic ID is not compared. Immutable.
 */
final class CommitMetadata {
    private static final String PREFIX = "iw2:";

    private record Range(long from, long to) {
    }

    private final long committed;
    private final List<Range> ranges;

    private CommitMetadata(long committed, List<Range> ranges) {
        this.committed = committed;
        this.ranges = List.copyOf(ranges);
    }

    static CommitMetadata parse(long committedOffset, String metadata) {
        List<Range> ranges = new ArrayList<>();
        String[] parts = metadata == null || !metadata.startsWith(PREFIX)
                ? new String[0]
                : metadata.substring(PREFIX.length()).split(":", 3);
        if (parts.length == 3 && parts[1].equals(Long.toString(committedOffset)) && !parts[2].isEmpty()) {
            try {
                for (String range : parts[2].split(",")) {
                    int dash = range.indexOf('-');
                    long from = Long.parseLong(dash < 0 ? range : range.substring(0, dash));
                    long to = dash < 0 ? from : Long.parseLong(range.substring(dash + 1));
                    ranges.add(new Range(committedOffset + from, committedOffset + to));
                }
            } catch (NumberFormatException e) {
                ranges.clear();
            }
        }
        return new CommitMetadata(committedOffset, ranges);
    }

    /** Whether a new owner would replay the record at {@code offset}: not committed, not marked completed. */
    boolean replays(long offset) {
        return offset >= committed && ranges.stream().noneMatch(r -> offset >= r.from() && offset <= r.to());
    }
}
