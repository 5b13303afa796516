package io.inferenceworker.faults;

import java.util.List;
import java.util.Locale;

/** The suite's table in Markdown, one {@link Row} a line, ready to paste into a note. */
final class Table {
    private Table() {
    }

    static String header() {
        return "| scenario | mode | jobs | lost | duplicate results | provider calls/job | extra calls "
                + "| dead letters/poison | in flight at kills | s | verdict |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|";
    }

    static String line(Row r) {
        return String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %.2f | %d | %s | %s | %d | %s |",
                r.scenario(), r.mode().setting(), r.jobs(), r.lost(), r.duplicates(), r.callsPerJob(), r.extraCalls(),
                r.deadLettersPerPoison(), r.inFlightAtKills() < 0 ? "-" : Integer.toString(r.inFlightAtKills()),
                r.seconds(), r.passed() ? "pass" : "**FAIL**: " + String.join("; ", r.violations()));
    }

    /** The whole table, then each row's notes. */
    static String render(List<Row> rows) {
        StringBuilder out = new StringBuilder(header()).append('\n');
        rows.forEach(r -> out.append(line(r)).append('\n'));
        for (Row r : rows) {
            if (!r.notes().isEmpty()) {
                out.append('\n').append(r.scenario()).append(": ").append(String.join("; ", r.notes()));
            }
        }
        return out.toString();
    }
}
