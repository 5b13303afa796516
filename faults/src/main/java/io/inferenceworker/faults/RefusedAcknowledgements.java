package io.inferenceworker.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Counts, in a scenario's worker logs, the records whose share acknowledgement Kafka refused with
 * {@code NotLeaderOrFollowerException}: the worker logs each refusal as
 * {@code Share acknowledgement failed for {<topic ID>:<topic>-<partition>=[<offsets>], ...}: ...}. The share client
 * refuses, on its side, the acknowledgements of a partition that has left the consumer's share session (after a
 * reassignment); the broker then delivers those records again when their acquisition lock expires.
 */
final class RefusedAcknowledgements {
    private static final String MARK = "Share acknowledgement failed for";
    private static final String REFUSAL = "NotLeaderOrFollowerException";
    private static final Pattern OFFSETS = Pattern.compile("=\\[([0-9, ]*)]");

    private RefusedAcknowledgements() {
    }

    /** The refused records in every {@code <prefix>*.log} of {@code logDir}. */
    static int count(Path logDir, String prefix) {
        try (Stream<Path> files = Files.list(logDir)) {
            List<Path> logs = files.filter(f -> f.getFileName().toString().startsWith(prefix)
                    && f.getFileName().toString().endsWith(".log")).toList();
            int refused = 0;
            for (Path log : logs) {
                try (Stream<String> lines = Files.lines(log)) {
                    refused += lines.filter(l -> l.contains(MARK) && l.contains(REFUSAL))
                            .mapToInt(RefusedAcknowledgements::records).sum();
                }
            }
            return refused;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the worker logs in " + logDir, e);
        }
    }

    /** The offsets a refusal line names. */
    static int records(String line) {
        int records = 0;
        Matcher offsets = OFFSETS.matcher(line);
        while (offsets.find()) {
            String list = offsets.group(1).strip();
            records += list.isEmpty() ? 0 : list.split(",").length;
        }
        return records;
    }
}
