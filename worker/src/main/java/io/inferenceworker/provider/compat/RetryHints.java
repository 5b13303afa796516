package io.inferenceworker.provider.compat;

import java.math.BigDecimal;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a provider's own hint of when to try again from response headers, in this order of precedence:
 * <ol>
 *   <li>{@code retry-after-ms}: milliseconds (OpenAI, Azure);</li>
 *   <li>{@code retry-after}: delay-seconds or an HTTP-date (RFC 9110), measured against the injected clock; a date
 *       in the past means "now" ({@link Duration#ZERO});</li>
 *   <li>{@code x-ratelimit-reset-requests} / {@code x-ratelimit-reset-tokens}, only for a bucket whose
 *       {@code x-ratelimit-remaining-requests} / {@code -tokens} is 0 (the longer wait wins when both are empty).
 *       Values are Go-style durations ({@code 1s}, {@code 6m0s}, {@code 20ms}, {@code 1m30.5s}, {@code 1h2m}); a
 *       bare number is seconds, or, when it is at least {@value #EPOCH_THRESHOLD}, a Unix time in seconds.</li>
 * </ol>
 * Unparseable values are ignored rather than guessed at. Immutable and thread-safe.
 */
public final class RetryHints {
    /** A bare reset number this large is a Unix time, not a delay (about 2001-09-09). */
    static final long EPOCH_THRESHOLD = 1_000_000_000L;

    private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");

    private final Clock clock;

    public RetryHints(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The provider's hint in {@code headers}, if it gave a usable one. */
    public Optional<Duration> retryAfter(HttpHeaders headers) {
        Objects.requireNonNull(headers, "headers");
        Optional<Duration> ms = headers.firstValue("retry-after-ms").flatMap(RetryHints::parseMillis);
        if (ms.isPresent()) {
            return ms;
        }
        Optional<Duration> retryAfter = headers.firstValue("retry-after").flatMap(this::parseRetryAfter);
        if (retryAfter.isPresent()) {
            return retryAfter;
        }
        Optional<Duration> requests = resetOf(headers, "requests");
        Optional<Duration> tokens = resetOf(headers, "tokens");
        if (requests.isPresent() && tokens.isPresent()) {
            return Optional.of(requests.get().compareTo(tokens.get()) >= 0 ? requests.get() : tokens.get());
        }
        return requests.isPresent() ? requests : tokens;
    }

    private Optional<Duration> resetOf(HttpHeaders headers, String bucket) {
        boolean exhausted = headers.firstValue("x-ratelimit-remaining-" + bucket)
                .map(String::trim)
                .filter(v -> NUMBER.matcher(v).matches())
                .map(v -> new BigDecimal(v).signum() == 0)
                .orElse(false);
        if (!exhausted) {
            return Optional.empty();
        }
        return headers.firstValue("x-ratelimit-reset-" + bucket).flatMap(this::parseReset);
    }

    /** {@code retry-after}: delay-seconds or an HTTP-date. */
    Optional<Duration> parseRetryAfter(String value) {
        String v = value.trim();
        if (NUMBER.matcher(v).matches()) {
            return Optional.of(seconds(new BigDecimal(v)));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(until(at));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@code x-ratelimit-reset-*}: a Go duration, bare seconds, or a Unix time. */
    Optional<Duration> parseReset(String value) {
        String v = value.trim();
        if (NUMBER.matcher(v).matches()) {
            BigDecimal number = new BigDecimal(v);
            if (number.compareTo(BigDecimal.valueOf(EPOCH_THRESHOLD)) >= 0) {
                return Optional.of(until(Instant.ofEpochSecond(number.longValue())));
            }
            return Optional.of(seconds(number));
        }
        return parseGoDuration(v);
    }

    /**
     * Parses a Go {@code time.Duration} string such as {@code 1m30.5s} or {@code 20ms}; empty unless the whole text
     * is a sequence of number-unit pairs.
     */
    public static Optional<Duration> parseGoDuration(String value) {
        String v = value.trim();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = GO_DURATION_PART.matcher(v);
        BigDecimal nanos = BigDecimal.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return Optional.empty();
            }
            end = m.end();
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(nanosPer(m.group(2)))));
        }
        if (end != v.length()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(nanos.longValue()));
    }

    private static long nanosPer(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw new IllegalArgumentException("unit " + unit);
        };
    }

    private static Optional<Duration> parseMillis(String value) {
        String v = value.trim();
        if (!NUMBER.matcher(v).matches()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(new BigDecimal(v).multiply(BigDecimal.valueOf(1_000_000L)).longValue()));
    }

    private static Duration seconds(BigDecimal seconds) {
        return Duration.ofNanos(seconds.multiply(BigDecimal.valueOf(1_000_000_000L)).longValue());
    }

    private Duration until(Instant at) {
        Duration d = Duration.between(clock.instant(), at);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
