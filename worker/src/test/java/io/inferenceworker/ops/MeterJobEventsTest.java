package io.inferenceworker.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MeterJobEventsTest {
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final MeterJobEvents events = new MeterJobEvents(registry, 3, 2);

    @Test
    void countsJobsByOutcomeAndProvider() {
        events.onOutcome("vultr", "m", "succeeded", Duration.ofSeconds(1));
        events.onOutcome("vultr", "m", "succeeded", Duration.ofSeconds(1));
        events.onOutcome("vultr", "m", "failed", Duration.ofSeconds(1));
        events.onOutcome("unknown", "unknown", "undecodable", Duration.ZERO);

        assertThat(count("inference.jobs", "outcome", "succeeded", "provider", "vultr")).isEqualTo(2);
        assertThat(count("inference.jobs", "outcome", "failed", "provider", "vultr")).isEqualTo(1);
        assertThat(count("inference.jobs", "outcome", "undecodable", "provider", "unknown")).isEqualTo(1);
    }

    @Test
    void timesAttemptsByStatusAndHttpStatus() {
        events.onAttempt("nscale", "llama", "ok", 200, Duration.ofMillis(300));
        events.onAttempt("nscale", "llama", "ok", 200, Duration.ofMillis(700));
        events.onAttempt("nscale", "llama", "timeout", null, Duration.ofSeconds(2));

        Timer ok = registry.get("inference.provider.latency")
                .tags("provider", "nscale", "model", "llama", "status", "ok", "http_status", "200").timer();
        assertThat(ok.count()).isEqualTo(2);
        assertThat(ok.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1000.0);
        Timer timedOut = registry.get("inference.provider.latency")
                .tags("status", "timeout", "http_status", "none").timer();
        assertThat(timedOut.count()).isEqualTo(1);
    }

    @Test
    void countsRetriesDeadLettersTokensAndCost() {
        events.onRetry("vultr", "rate_limited");
        events.onRetry("vultr", "rate_limited");
        events.onRetry("vultr", "server_error");
        events.onDeadLetter("provider");
        events.onDeadLetter("decode");
        events.onDeadLetter("decode");
        events.onUsage("vultr", "m", 10, 32, 0.25);
        events.onUsage("vultr", "m", 5, 8, 0.5);

        assertThat(count("inference.provider.retries", "provider", "vultr", "code", "rate_limited")).isEqualTo(2);
        assertThat(count("inference.provider.retries", "provider", "vultr", "code", "server_error")).isEqualTo(1);
        assertThat(count("inference.dead.letters", "stage", "decode")).isEqualTo(2);
        assertThat(count("inference.dead.letters", "stage", "provider")).isEqualTo(1);
        assertThat(count("inference.tokens", "provider", "vultr", "model", "m", "direction", "in")).isEqualTo(15);
        assertThat(count("inference.tokens", "provider", "vultr", "model", "m", "direction", "out")).isEqualTo(40);
        assertThat(count("inference.cost", "provider", "vultr", "model", "m")).isEqualTo(0.75);
    }

    @Test
    void usageWithoutPriceRecordsNoCost() {
        events.onUsage("vultr", "m", 1, 1, 0);
        events.onUsage("vultr", "m", 1, 1, Double.NaN);

        assertThat(registry.find("inference.cost").meters()).isEmpty();
        assertThat(count("inference.tokens", "direction", "in")).isEqualTo(2);
    }

    @Test
    void capsDistinctModelsThenCountsTheRestAsOther() {
        for (String model : List.of("m1", "m2", "m3", "m4", "m5", "m1")) {
            events.onUsage("vultr", model, 1, 1, 0);
        }

        Set<String> models = registry.find("inference.tokens").tagKeys("model").meters().stream()
                .map(m -> m.getId().getTag("model")).collect(Collectors.toSet());
        assertThat(models).containsExactlyInAnyOrder("m1", "m2", "m3", "other");
        assertThat(count("inference.tokens", "model", "other", "direction", "in")).isEqualTo(2);
        assertThat(count("inference.tokens", "model", "m1", "direction", "in")).isEqualTo(2);
    }

    @Test
    void capsProvidersNamedByRequests() {
        events.onOutcome("vultr", "m", "succeeded", Duration.ZERO);
        events.onOutcome("made-up-1", "m", "invalid", Duration.ZERO);
        events.onOutcome("made-up-2", "m", "invalid", Duration.ZERO);
        events.onOutcome("made-up-3", "m", "invalid", Duration.ZERO);

        assertThat(count("inference.jobs", "provider", "other", "outcome", "invalid")).isEqualTo(2);
        assertThat(registry.find("inference.jobs").meters()).hasSize(3);
    }

    @Test
    void missingAndOverlongValuesStayBounded() {
        events.onAttempt(null, " ", "ok", 200, Duration.ofMillis(5));
        events.onUsage("p", "x".repeat(10_000), 1, 0, 0);

        assertThat(registry.get("inference.provider.latency").tags("provider", "unknown", "model", "unknown")
                .timer().count()).isEqualTo(1);
        assertThat(registry.get("inference.tokens").meter().getId().getTag("model"))
                .hasSize(BoundedTagValues.MAX_LENGTH);
    }

    @Test
    void exposesPrometheusNamesWithHistogramBucketsUpToTwoMinutes() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MeterJobEvents metered = new MeterJobEvents(prometheus, 100, 32);
        metered.onOutcome("vultr", "m", "succeeded", Duration.ofSeconds(3));
        metered.onAttempt("vultr", "m", "ok", 200, Duration.ofMillis(800));
        metered.onRetry("vultr", "rate_limited");
        metered.onDeadLetter("validate");
        metered.onUsage("vultr", "m", 3, 4, 0.1);

        String text = prometheus.scrape();

        assertThat(text).contains("inference_jobs_total{outcome=\"succeeded\",provider=\"vultr\"} 1.0")
                .contains("inference_provider_retries_total{code=\"rate_limited\",provider=\"vultr\"} 1.0")
                .contains("inference_dead_letters_total{stage=\"validate\"} 1.0")
                .contains("inference_tokens_total{direction=\"out\",model=\"m\",provider=\"vultr\"} 4.0")
                .contains("inference_cost_total{model=\"m\",provider=\"vultr\"} 0.1")
                .contains("inference_provider_latency_seconds_count{http_status=\"200\",model=\"m\",provider=\"vultr\","
                        + "status=\"ok\"} 1")
                .contains("le=\"120.0\"")
                .contains("le=\"0.25\"");
        long buckets = text.lines().filter(l -> l.startsWith("inference_provider_latency_seconds_bucket")).count();
        // Percentile buckets between 50 ms and 120 s plus the SLOs and +Inf: bounded, whatever the traffic.
        assertThat(buckets).isBetween(20L, 80L);
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }
}
