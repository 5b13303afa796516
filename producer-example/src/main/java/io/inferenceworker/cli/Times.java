package io.inferenceworker.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations and instants as people type them. Durations: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h},
 * {@code 1d}, combinations such as {@code 1h30m}, ISO-8601 ({@code PT30S}), or a bare number of seconds. Instants:
 * ISO-8601 ({@code 2025-06-01T12:00:00Z}, {@code 2025-06-01T14:00:00+02:00}) or a duration relative to now.
 */
final class Times {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern PARTS = Pattern.compile("(\\d+(ms|s|m|h|d))+");

    /** Whether a relative time counts forward (a deadline: in 30s) or backward (since: 1h ago) from now. */
    enum Direction { FUTURE, PAST }

    private Times() {
    }

    /** @throws InputException naming the accepted forms */
    static Duration parseDuration(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return requireNotNegative(Duration.parse(value.toUpperCase(Locale.ROOT)), text);
            }
            if (value.matches("\\d+")) {
                return Duration.ofSeconds(Long.parseLong(value));
            }
            if (PARTS.matcher(value).matches()) {
                Duration total = Duration.ZERO;
                Matcher part = PART.matcher(value);
                while (part.find()) {
                    total = total.plus(unit(Long.parseLong(part.group(1)), part.group(2)));
                }
                return total;
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InputException(invalidDuration(text), e);
        }
        throw new InputException(invalidDuration(text));
    }

    /** An ISO-8601 instant, or a duration counted from {@code now} in {@code direction}. */
    static Instant parseInstant(String text, Instant now, Direction direction) {
        String value = text == null ? "" : text.trim();
        if (value.length() > 10 && Character.isDigit(value.charAt(0)) && value.contains("T")) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw new InputException("'" + text + "' is not an ISO-8601 time such as 2025-06-01T12:00:00Z", e);
            }
        }
        Duration offset;
        try {
            offset = parseDuration(value);
        } catch (InputException e) {
            throw new InputException("'" + text + "' is neither an ISO-8601 time (2025-06-01T12:00:00Z) nor a "
                    + "duration (30s, 5m, 2h, 1d)", e);
        }
        return direction == Direction.FUTURE ? now.plus(offset) : now.minus(offset);
    }

    /** {@code 1.2 s}, {@code 340 ms}: for people. */
    static String human(Duration duration) {
        long millis = duration.toMillis();
        return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static Duration unit(long amount, String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    private static Duration requireNotNegative(Duration duration, String text) {
        if (duration.isNegative()) {
            throw new InputException("'" + text + "' is negative: a duration must be zero or more");
        }
        return duration;
    }

    private static String invalidDuration(String text) {
        return "'" + text + "' is not a duration: use e.g. 500ms, 30s, 5m, 2h, 1d, 1h30m or ISO-8601 PT30S";
    }
}
