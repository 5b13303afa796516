package io.inferenceworker.ops;

import static io.inferenceworker.ops.UsageRecords.usage;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MeterJobEventsTest {
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final MeterJobEvents events = new MeterJobEvents(registry, 3, 2, 2);

    @Test
    void countsJobsByOutcomeAndProvider() {
        events.onOutcome("vultr", "m", null, "succeeded", Duration.ofSeconds(1));
        events.onOutcome("vultr", "m", null, "succeeded", Duration.ofSeconds(1));
        events.onOutcome("vultr", "m", null, "failed", Duration.ofSeconds(1));
        events.onOutcome("unknown", "unknown", null, "undecodable", null);

        assertThat(count("inference.jobs", "outcome", "succeeded", "provider", "vultr")).isEqualTo(2);
        assertThat(count("inference.jobs", "outcome", "failed", "provider", "vultr")).isEqualTo(1);
        assertThat(count("inference.jobs", "outcome", "undecodable", "provider", "unknown")).isEqualTo(1);
    }

    @Test
    void timesJobsEndToEndByProviderAndOutcomeExceptUndecodableOnes() {
        events.onOutcome("vultr", "m", null, "succeeded", Duration.ofSeconds(3));
        events.onOutcome("vultr", "m", null, "succeeded", Duration.ofSeconds(7));
        events.onOutcome("vultr", "m", null, "failed", Duration.ofMinutes(4));
        events.onOutcome("unknown", "unknown", null, "undecodable", null);
        events.onOutcome("vultr", "m", null, "expired", Duration.ofMillis(-5)); // a producer clock ahead of ours

        Timer ok = registry.get("inference.job.duration").tags("provider", "vultr", "outcome", "succeeded").timer();
        assertThat(ok.count()).isEqualTo(2);
        assertThat(ok.totalTime(TimeUnit.SECONDS)).isEqualTo(10.0);
        assertThat(registry.get("inference.job.duration").tags("outcome", "failed").timer().max(TimeUnit.SECONDS))
                .isEqualTo(240.0);
        assertThat(registry.get("inference.job.duration").tags("outcome", "expired").timer().totalTime(
                TimeUnit.NANOSECONDS)).isZero();
        assertThat(registry.find("inference.job.duration").tags("outcome", "undecodable").timer()).isNull();
        assertThat(bucketBounds(ok.takeSnapshot().histogramCounts())).contains(1.0, 60.0, 300.0, 900.0, 1800.0);
    }

    @Test
    void timesTheQueueByProvider() {
        events.onStarted("nscale", "acme", Duration.ofMillis(40));
        events.onStarted("nscale", null, Duration.ofSeconds(90));

        Timer queue = registry.get("inference.job.queue.time").tags("provider", "nscale").timer();
        assertThat(queue.count()).isEqualTo(2);
        assertThat(queue.max(TimeUnit.SECONDS)).isEqualTo(90.0);
        assertThat(bucketBounds(queue.takeSnapshot().histogramCounts())).contains(0.05, 1.0, 120.0, 3600.0);
        CountAtBucket upTo50ms = Arrays.stream(queue.takeSnapshot().histogramCounts())
                .filter(b -> b.bucket(TimeUnit.SECONDS) == 0.05).findFirst().orElseThrow();
        assertThat(upTo50ms.count()).isEqualTo(1);
    }

    @Test
    void countsJobsPerTenantWithNoneForRequestsWithoutOne() {
        events.onOutcome("vultr", "m", "acme", "succeeded", Duration.ofSeconds(1));
        events.onOutcome("vultr", "m", "acme", "failed", Duration.ofSeconds(1));
        events.onOutcome("vultr", "m", null, "succeeded", Duration.ofSeconds(1));
        events.onOutcome("vultr", "m", " ", "succeeded", Duration.ofSeconds(1));

        assertThat(count("inference.tenant.jobs", "tenant", "acme", "outcome", "succeeded")).isEqualTo(1);
        assertThat(count("inference.tenant.jobs", "tenant", "acme", "outcome", "failed")).isEqualTo(1);
        assertThat(count("inference.tenant.jobs", "tenant", "none", "outcome", "succeeded")).isEqualTo(2);
    }

    @Test
    void capsDistinctTenantsThenCountsTheRestAsOther() {
        for (String tenant : List.of("t1", "t2", "t3", "t4", "t1")) {
            events.onOutcome("vultr", "m", tenant, "succeeded", Duration.ZERO);
            events.onUsage(usage("vultr", "m", tenant, 10, 1, 0.5, "EUR"), "m", "vultr");
        }

        Set<String> tenants = registry.find("inference.tenant.jobs").meters().stream()
                .map(m -> m.getId().getTag("tenant")).collect(Collectors.toSet());
        assertThat(tenants).containsExactlyInAnyOrder("t1", "t2", "other");
        assertThat(count("inference.tenant.jobs", "tenant", "other")).isEqualTo(2);
        assertThat(count("inference.tenant.tokens", "tenant", "other", "direction", "in")).isEqualTo(20);
        assertThat(count("inference.tenant.cost", "tenant", "t1", "currency", "EUR")).isEqualTo(1.0);
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
    void countsRetriesDeadLettersTokensAndCostWithItsCurrency() {
        events.onRetry("vultr", "rate_limited");
        events.onRetry("vultr", "rate_limited");
        events.onRetry("vultr", "server_error");
        events.onDeadLetter("provider");
        events.onDeadLetter("decode");
        events.onDeadLetter("decode");
        events.onUsage(usage("vultr", "m", 10, 32, 0.25), "m", "vultr");
        events.onUsage(usage("vultr", "m", 5, 8, 0.5), "m", "vultr");
        events.onUsage(usage("vultr", "m", "acme", 1, 1, 2.0, "EUR"), "m", "vultr");

        assertThat(count("inference.provider.retries", "provider", "vultr", "code", "rate_limited")).isEqualTo(2);
        assertThat(count("inference.provider.retries", "provider", "vultr", "code", "server_error")).isEqualTo(1);
        assertThat(count("inference.dead.letters", "stage", "decode")).isEqualTo(2);
        assertThat(count("inference.dead.letters", "stage", "provider")).isEqualTo(1);
        assertThat(count("inference.tokens", "provider", "vultr", "model", "m", "direction", "in")).isEqualTo(16);
        assertThat(count("inference.tokens", "provider", "vultr", "model", "m", "direction", "out")).isEqualTo(41);
        assertThat(count("inference.cost", "provider", "vultr", "model", "m", "currency", "USD")).isEqualTo(0.75);
        assertThat(count("inference.cost", "provider", "vultr", "model", "m", "currency", "EUR")).isEqualTo(2.0);
        assertThat(count("inference.tenant.tokens", "tenant", "none", "direction", "out")).isEqualTo(40);
        assertThat(count("inference.tenant.tokens", "tenant", "acme", "direction", "in")).isEqualTo(1);
        assertThat(count("inference.tenant.cost", "tenant", "none", "currency", "USD")).isEqualTo(0.75);
        assertThat(count("inference.tenant.cost", "tenant", "acme", "currency", "EUR")).isEqualTo(2.0);
    }

    @Test
    void recordsTokensPerCallUnderTheGenAiConventions() {
        events.onUsage(usage("vultr-eu", "served-model", 10, 32, 0), "asked-model", "vultr");
        events.onUsage(usage("vultr-eu", "served-model", 100, 0, 0), "asked-model", "vultr");

        DistributionSummary input = registry.get("gen_ai.client.token.usage")
                .tags("gen_ai.token.type", "input", "gen_ai.provider.name", "vultr", "provider", "vultr-eu",
                        "gen_ai.request.model", "asked-model", "gen_ai.operation.name", "chat").summary();
        assertThat(input.count()).isEqualTo(2);
        assertThat(input.totalAmount()).isEqualTo(110);
        DistributionSummary output = registry.get("gen_ai.client.token.usage")
                .tags("gen_ai.token.type", "output").summary();
        assertThat(output.count()).isEqualTo(2); // one observation per call, a call without output included
        assertThat(output.totalAmount()).isEqualTo(32);
        assertThat(Arrays.stream(input.takeSnapshot().histogramCounts()).map(CountAtBucket::bucket).toList())
                .containsExactly(1.0, 4.0, 16.0, 64.0, 256.0, 1024.0, 4096.0, 16384.0, 65536.0, 262144.0,
                        1048576.0, 4194304.0, 16777216.0, 67108864.0);
    }

    @Test
    void usageWithoutPriceRecordsNoCost() {
        events.onUsage(usage("vultr", "m", 1, 1, 0), "m", "vultr");
        events.onUsage(usage("vultr", "m", 1, 1, Double.NaN), "m", "vultr");

        assertThat(registry.find("inference.cost").meters()).isEmpty();
        assertThat(registry.find("inference.tenant.cost").meters()).isEmpty();
        assertThat(count("inference.tokens", "direction", "in")).isEqualTo(2);
    }

    @Test
    void capsDistinctModelsThenCountsTheRestAsOther() {
        for (String model : List.of("m1", "m2", "m3", "m4", "m5", "m1")) {
            events.onUsage(usage("vultr", model, 1, 1, 0), model, "vultr");
        }

        Set<String> models = registry.find("inference.tokens").tagKeys("model").meters().stream()
                .map(m -> m.getId().getTag("model")).collect(Collectors.toSet());
        assertThat(models).containsExactlyInAnyOrder("m1", "m2", "m3", "other");
        assertThat(count("inference.tokens", "model", "other", "direction", "in")).isEqualTo(2);
        assertThat(count("inference.tokens", "model", "m1", "direction", "in")).isEqualTo(2);
        Set<String> requested = registry.find("gen_ai.client.token.usage").meters().stream()
                .map(m -> m.getId().getTag("gen_ai.request.model")).collect(Collectors.toSet());
        assertThat(requested).containsExactlyInAnyOrder("m1", "m2", "m3", "other");
    }

    @Test
    void capsProvidersNamedByRequests() {
        events.onOutcome("vultr", "m", null, "succeeded", Duration.ZERO);
        events.onOutcome("made-up-1", "m", null, "invalid", Duration.ZERO);
        events.onOutcome("made-up-2", "m", null, "invalid", Duration.ZERO);
        events.onOutcome("made-up-3", "m", null, "invalid", Duration.ZERO);

        assertThat(count("inference.jobs", "provider", "other", "outcome", "invalid")).isEqualTo(2);
        assertThat(registry.find("inference.jobs").meters()).hasSize(3);
        assertThat(registry.find("inference.job.duration").meters()).hasSize(3);
    }

    @Test
    void missingAndOverlongValuesStayBounded() {
        events.onAttempt(null, " ", "ok", 200, Duration.ofMillis(5));
        events.onUsage(usage("p", "x".repeat(10_000), 1, 0, 0), null, "openai");

        assertThat(registry.get("inference.provider.latency").tags("provider", "unknown", "model", "unknown")
                .timer().count()).isEqualTo(1);
        assertThat(registry.get("inference.tokens").meter().getId().getTag("model"))
                .hasSize(BoundedTagValues.MAX_LENGTH);
        // Without a requested model, the GenAI histogram names the model that answered.
        assertThat(registry.get("gen_ai.client.token.usage").meter().getId().getTag("gen_ai.request.model"))
                .hasSize(BoundedTagValues.MAX_LENGTH);
    }

    @Test
    void exposesPrometheusNamesWithHistogramBucketsUpToTwoMinutes() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MeterJobEvents metered = new MeterJobEvents(prometheus, 100, 32, 100);
        metered.onStarted("vultr", "acme", Duration.ofMillis(20));
        metered.onOutcome("vultr", "m", "acme", "succeeded", Duration.ofSeconds(3));
        metered.onAttempt("vultr", "m", "ok", 200, Duration.ofMillis(800));
        metered.onRetry("vultr", "rate_limited");
        metered.onDeadLetter("validate");
        metered.onUsage(usage("vultr", "m", "acme", 3, 4, 0.1, "USD"), "m", "vultr");

        String text = prometheus.scrape();

        assertThat(text).contains("inference_jobs_total{outcome=\"succeeded\",provider=\"vultr\"} 1.0")
                .contains("inference_provider_retries_total{code=\"rate_limited\",provider=\"vultr\"} 1.0")
                .contains("inference_dead_letters_total{stage=\"validate\"} 1.0")
                .contains("inference_tokens_total{direction=\"out\",model=\"m\",provider=\"vultr\"} 4.0")
                .contains("inference_cost_total{currency=\"USD\",model=\"m\",provider=\"vultr\"} 0.1")
                .contains("inference_provider_latency_seconds_count{http_status=\"200\",model=\"m\",provider=\"vultr\","
                        + "status=\"ok\"} 1")
                .contains("le=\"120.0\"")
                .contains("le=\"0.25\"")
                .contains("inference_job_duration_seconds_bucket{outcome=\"succeeded\",provider=\"vultr\","
                        + "le=\"5.0\"} 1")
                .contains("inference_job_duration_seconds_count{outcome=\"succeeded\",provider=\"vultr\"} 1")
                .contains("inference_job_queue_time_seconds_bucket{provider=\"vultr\",le=\"0.05\"} 1")
                .contains("inference_tenant_jobs_total{outcome=\"succeeded\",tenant=\"acme\"} 1.0")
                .contains("inference_tenant_tokens_total{direction=\"in\",tenant=\"acme\"} 3.0")
                .contains("inference_tenant_cost_total{currency=\"USD\",tenant=\"acme\"} 0.1")
                .contains("gen_ai_client_token_usage_bucket{gen_ai_operation_name=\"chat\",gen_ai_provider_name="
                        + "\"vultr\",gen_ai_request_model=\"m\",gen_ai_token_type=\"output\",provider=\"vultr\","
                        + "le=\"4.0\"} 1")
                .contains("gen_ai_client_token_usage_sum{gen_ai_operation_name=\"chat\",gen_ai_provider_name="
                        + "\"vultr\",gen_ai_request_model=\"m\",gen_ai_token_type=\"input\",provider=\"vultr\"} 3.0");
        long buckets = text.lines().filter(l -> l.startsWith("inference_provider_latency_seconds_bucket")).count();
        // Percentile buckets between 50 ms and 120 s plus the SLOs and +Inf: bounded, whatever the traffic.
        assertThat(buckets).isBetween(20L, 80L);
        // Fixed buckets only, plus +Inf.
        assertThat(text.lines().filter(l -> l.startsWith("inference_job_duration_seconds_bucket")).count())
                .isEqualTo(16);
    }

    private static List<Double> bucketBounds(CountAtBucket[] buckets) {
        return Arrays.stream(buckets).map(b -> b.bucket(TimeUnit.SECONDS)).toList();
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }
}
