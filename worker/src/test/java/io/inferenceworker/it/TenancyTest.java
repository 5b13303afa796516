package io.inferenceworker.it;

import static io.inferenceworker.it.WorkerHarness.request;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.publish.DeadLetters;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.CompletionStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** Per-tenant limits end to end (real worker, Kafka, registry and simulator). */
class TenancyTest {

    @Test
    void aTenantOverItsTokenLimitWaitsWhileAnotherTenantsJobsFlow() {
        try (WorkerHarness h = new WorkerHarness("tenant-tokens", 2)) {
            // 600 tokens a minute = 10 a second; a job is estimated at its prompt (1 token) + max_tokens (20), so
            // slow's jobs go about one every 2 s. fast has no limit.
            MeterRegistry meters = h.startWorker(Map.of("tenants.slow.tokens-per-minute", 600))
                    .getBean(MeterRegistry.class);
            List<String> slow = IntStream.range(0, 4).mapToObj(i -> h.prefix + "-slow-" + i).toList();
            List<String> fast = IntStream.range(0, 10).mapToObj(i -> h.prefix + "-fast-" + i).toList();
            slow.forEach(id -> h.send(request(id, "m", "hi").setTenant("slow").setMaxTokens(20).build()));
            fast.forEach(id -> h.send(request(id, "m", "hi").setTenant("fast").setMaxTokens(20).build()));

            await().atMost(Duration.ofSeconds(30)).until(() -> ids(h).containsAll(fast));
            List<String> doneWhenFastWas = ids(h);
            assertThat(doneWhenFastWas.stream().filter(slow::contains).count())
                    .as("slow's jobs finished by the time fast's ten all had").isLessThanOrEqualTo(2);

            await().atMost(Duration.ofSeconds(60)).until(() -> ids(h).containsAll(slow));
            List<CompletionResult> all = h.results();
            assertThat(all).hasSize(slow.size() + fast.size());
            assertThat(all).allSatisfy(r -> {
                assertThat(r.getStatus()).as(r.getJobId()).isEqualTo(CompletionStatus.SUCCEEDED);
                assertThat(r.getAttempts()).as("waiting for the tenant's permits is not an attempt").isEqualTo(1);
            });
            long lastSlowMs = all.stream().filter(r -> slow.contains(r.getJobId()))
                    .mapToLong(r -> r.getTimings().getTotalMs()).max().orElseThrow();
            assertThat(lastSlowMs).as("the fourth slow job waited for three jobs' tokens")
                    .isGreaterThanOrEqualTo(4_000);
            assertThat(h.collector(h.dlq).size()).isZero();
            Timer waits = meters.find("inference.tenant.limit.wait").tag("tenant", "slow").timer();
            assertThat(waits).isNotNull();
            assertThat(waits.count()).as("slow's jobs after the first waited").isGreaterThanOrEqualTo(3);
            assertThat(meters.find("inference.tenant.limit.wait").tag("tenant", "fast").timer()).isNull();
        }
    }

    @Test
    void aTenantPastItsDailyBudgetGetsFailedResultsAndDeadLettersWhileOthersAreServed() {
        try (WorkerHarness h = new WorkerHarness("tenant-budget", 1)) {
            // The simulator answers "hello" with 4 tokens: 0.004 at 1,000 a million, past capped's budget (0.001).
            MeterRegistry meters = h.startWorker(Map.ofEntries(
                    entry("providers.sim.price.currency", "USD"),
                    entry("providers.sim.price.input-per-million.default", "1000"),
                    entry("providers.sim.price.output-per-million.default", "1000"),
                    entry("tenants.capped.daily-budget", "0.001"))).getBean(MeterRegistry.class);
            String first = h.prefix + "-first";
            h.send(request(first, "m", "hello").setTenant("capped").build());
            await().atMost(Duration.ofSeconds(30)).until(() -> resultOf(h, first).isPresent());
            assertThat(resultOf(h, first).orElseThrow().getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);

            String over = h.prefix + "-over";
            String other = h.prefix + "-other";
            h.send(request(over, "m", "hello").setTenant("capped").build());
            h.send(request(other, "m", "hello").setTenant("someone-else").build());
            await().atMost(Duration.ofSeconds(30)).until(() -> resultOf(h, over).isPresent()
                    && resultOf(h, other).isPresent());
            CompletionResult refused = resultOf(h, over).orElseThrow();
            assertThat(refused.getStatus()).isEqualTo(CompletionStatus.FAILED);
            assertThat(refused.getError().getCode()).isEqualTo("budget_exceeded");
            assertThat(refused.getError().getRetryable()).isFalse();
            assertThat(refused.getError().getMessage())
                    .contains("tenant capped spent 0.004000 of its daily budget of 0.001000");
            assertThat(refused.getAttempts()).isZero();
            assertThat(resultOf(h, other).orElseThrow().getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);

            await().atMost(Duration.ofSeconds(10)).until(() -> h.collector(h.dlq).size() == 1);
            ConsumerRecord<byte[], byte[]> letter = h.collector(h.dlq).records().get(0);
            assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo(over);
            assertThat(header(letter, DeadLetters.ERROR_CODE)).isEqualTo("budget_exceeded");
            assertThat(h.decode(h.requests, letter)).as("the original request, byte for byte").isNotNull();
            // Only the job that ran was charged: one usage record for capped, one for the other tenant.
            await().atMost(Duration.ofSeconds(10)).until(() -> h.collector(h.usage).size() == 2);
            assertThat(meters.find("inference.tenant.refusals").tags("tenant", "capped", "reason", "budget_exceeded")
                    .counter().count()).isEqualTo(1.0);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static List<String> ids(WorkerHarness h) {
        return h.results().stream().map(CompletionResult::getJobId).toList();
    }

    private static Optional<CompletionResult> resultOf(WorkerHarness h, String jobId) {
        return h.results().stream().filter(r -> r.getJobId().equals(jobId)).findFirst();
    }
}
