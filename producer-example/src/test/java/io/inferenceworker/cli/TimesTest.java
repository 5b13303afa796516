package io.inferenceworker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimesTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void durationsAsPeopleTypeThem() {
        assertThat(Times.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Times.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Times.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Times.parseDuration("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Times.parseDuration("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Times.parseDuration("45")).isEqualTo(Duration.ofSeconds(45));
        for (String bad : List.of("", "soon", "5 m", "-5s", "PT-1S", "1x")) {
            assertThatThrownBy(() -> Times.parseDuration(bad)).as(bad).isInstanceOf(InputException.class);
        }
    }

    @Test
    void instantsAbsoluteOrRelative() {
        assertThat(Times.parseInstant("2025-01-01T00:00:00Z", NOW, Times.Direction.PAST))
                .isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(Times.parseInstant("1h", NOW, Times.Direction.PAST)).isEqualTo(NOW.minusSeconds(3600));
        assertThat(Times.parseInstant("30s", NOW, Times.Direction.FUTURE)).isEqualTo(NOW.plusSeconds(30));
        assertThatThrownBy(() -> Times.parseInstant("2025-13-01T00:00:00Z", NOW, Times.Direction.PAST))
                .isInstanceOf(InputException.class);
    }

    @Test
    void percentilesByNearestRank() {
        LatencyStats stats = new LatencyStats(List.of(5L, 1L, 4L, 2L, 3L, 6L, 7L, 8L, 9L, 10L));
        assertThat(stats.percentile(50)).isEqualTo(5);
        assertThat(stats.percentile(90)).isEqualTo(9);
        assertThat(stats.percentile(99)).isEqualTo(10);
        assertThat(stats.max()).isEqualTo(10);
        assertThat(new LatencyStats(List.of(42L)).percentile(50)).isEqualTo(42);
    }
}
