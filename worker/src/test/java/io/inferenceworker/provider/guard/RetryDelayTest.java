package io.inferenceworker.provider.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferenceworker.provider.RetryConfig;
import io.inferenceworker.provider.ProviderException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryDelayTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final RetryConfig CONFIG = RetryConfig.DEFAULTS
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    private static final ProviderException.Context CTX = new ProviderException.Context("j", "p", 1);

    @RepeatedTest(20)
    void backoffIsFullyJitteredBelowAnExponentialCeilingAndTheCap() {
        ProviderException plain = ProviderException.of(CTX, "server_error", "503").withHttpStatus(503).retryable();
        Instant far = NOW.plusSeconds(3600);
        assertThat(RetryDelay.next(CONFIG, 1, plain, NOW, far)).isBetween(Duration.ZERO, Duration.ofMillis(100));
        assertThat(RetryDelay.next(CONFIG, 3, plain, NOW, far)).isBetween(Duration.ZERO, Duration.ofMillis(400));
        assertThat(RetryDelay.next(CONFIG, 20, plain, NOW, far)).isBetween(Duration.ZERO, Duration.ofSeconds(2));
    }

    @Test
    void theProvidersRetryAfterWinsButNeverPassesTheWindowOrDeadline() {
        ProviderException hinted = ProviderException.of(CTX, "rate_limited", "429").withHttpStatus(429)
                .withRetryAfter(Duration.ofSeconds(7)).retryable();
        assertThat(RetryDelay.next(CONFIG, 1, hinted, NOW, NOW.plusSeconds(60))).isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryDelay.next(CONFIG, 1, hinted, NOW, NOW.plusSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(RetryDelay.next(CONFIG, 1, hinted, NOW, NOW.minusSeconds(1))).isEqualTo(Duration.ZERO);
    }
}
