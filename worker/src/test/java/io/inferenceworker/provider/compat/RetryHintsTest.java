package io.inferenceworker.provider.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RetryHintsTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private final RetryHints hints = new RetryHints(Clock.fixed(NOW, ZoneOffset.UTC));

    private static HttpHeaders headers(String... nameValues) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            map.put(nameValues[i], List.of(nameValues[i + 1]));
        }
        return HttpHeaders.of(map, (a, b) -> true);
    }

    @ParameterizedTest
    @CsvSource({
            "1s, 1000",
            "6m0s, 360000",
            "20ms, 20",
            "1m30.5s, 90500",
            "1h2m, 3720000",
            "500us, 0.5",
            "0.25s, 250",
            "2m59.56s, 179560"})
    void parsesGoDurations(String text, double millis) {
        assertThat(RetryHints.parseGoDuration(text)).contains(Duration.ofNanos((long) (millis * 1_000_000)));
    }

    @ParameterizedTest
    @CsvSource({"'', ", "abc", "1x", "s", "1s garbage", "-1s"})
    void rejectsNonDurations(String text) {
        assertThat(RetryHints.parseGoDuration(text == null ? "" : text)).isEmpty();
    }

    @Test
    void retryAfterMsWinsOverEverythingElse() {
        assertThat(hints.retryAfter(headers("retry-after-ms", "1500", "retry-after", "9")))
                .contains(Duration.ofMillis(1500));
    }

    @Test
    void retryAfterSecondsAndDate() {
        assertThat(hints.retryAfter(headers("retry-after", "7"))).contains(Duration.ofSeconds(7));
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(NOW.plusSeconds(42),
                ZoneOffset.UTC));
        assertThat(hints.retryAfter(headers("Retry-After", date))).contains(Duration.ofSeconds(42));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(NOW.minusSeconds(42),
                ZoneOffset.UTC));
        assertThat(hints.retryAfter(headers("retry-after", past))).contains(Duration.ZERO);
    }

    @Test
    void rateLimitResetOnlyCountsWhenTheBucketIsEmpty() {
        assertThat(hints.retryAfter(headers("x-ratelimit-remaining-requests", "5",
                "x-ratelimit-reset-requests", "1s"))).isEmpty();
        assertThat(hints.retryAfter(headers("x-ratelimit-remaining-requests", "0",
                "x-ratelimit-reset-requests", "1s"))).contains(Duration.ofSeconds(1));
        assertThat(hints.retryAfter(headers(
                "x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "1s",
                "x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "6m0s")))
                .contains(Duration.ofMinutes(6));
        assertThat(hints.retryAfter(headers(
                "x-ratelimit-remaining-requests", "3", "x-ratelimit-reset-requests", "1s",
                "x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "20ms")))
                .contains(Duration.ofMillis(20));
    }

    @Test
    void bareResetNumbersAreSecondsOrUnixTimes() {
        assertThat(hints.retryAfter(headers("x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "12")))
                .contains(Duration.ofSeconds(12));
        String epoch = Long.toString(NOW.plusSeconds(30).getEpochSecond());
        assertThat(hints.retryAfter(headers("x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", epoch)))
                .contains(Duration.ofSeconds(30));
    }

    @Test
    void garbageIsIgnoredNotGuessed() {
        assertThat(hints.retryAfter(headers("retry-after-ms", "soon", "retry-after", "later"))).isEmpty();
        assertThat(hints.retryAfter(headers())).isEqualTo(Optional.empty());
    }
}
