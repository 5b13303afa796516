package io.inferenceworker.bench;

import java.util.Locale;

/** What the reports share to write Markdown tables: a row, a number or "—", a locale-independent format. */
final class Markdown {
    private Markdown() {
    }

    /** One table row; a {@code |} inside a cell is escaped. */
    static String row(Object... cells) {
        StringBuilder r = new StringBuilder("|");
        for (Object c : cells) {
            r.append(' ').append(String.valueOf(c).replace("|", "\\|")).append(" |");
        }
        return r.append('\n').toString();
    }

    /** {@code v} in {@code format}, or "—" when it is not a number. */
    static String num(double v, String format) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "—" : f(format, v);
    }

    /** {@link String#format} in {@link Locale#ROOT}: the same digits whatever the host's locale. */
    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
