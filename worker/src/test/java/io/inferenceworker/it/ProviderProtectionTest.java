package io.inferenceworker.it;

import static io.inferenceworker.it.WorkerHarness.request;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.provider.guard.WaitingRoom;
import io.inferenceworker.provider.registry.ProviderRegistry;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.CompletionStatus;
import io.inferenceworker.testkit.sim.Behaviour;
import io.inferenceworker.testkit.sim.Dialect;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Per-instance protections end to end: a provider outage against the real worker, Kafka and simulator. */
class ProviderProtectionTest {

    @Test
    void anOutageShorterThanTheRetryWindowDeadLettersNothingWhileOtherProvidersKeepFlowing() {
        try (WorkerHarness h = new WorkerHarness("breaker", 2)) {
            var sim = h.stack.simulator();
            String modelA = h.prefix + "-a";
            String modelB = h.prefix + "-b";
            sim.onModel(modelA, Behaviour.status(503));
            String url = sim.baseUrl(Dialect.OPENAI);
            // Two instances of the same dialect, told apart by model. Provider a: 3 attempts at most, and a breaker
            // that opens after 4 recorded calls at 50 % failures and tries again every 300 ms. An in-flight limit of
            // 24 at the default share (0.5) lets 12 of a's jobs wait: exactly as many as it gets, so none is failed.
            ApplicationContext worker = h.startWorker(Map.ofEntries(
                    entry("worker.in-flight-limit", 24),
                    entry("providers.a.type", "openai"),
                    entry("providers.a.base-url", url),
                    entry("providers.a.retry.max-attempts", 3),
                    entry("providers.a.retry.initial-backoff", "20ms"),
                    entry("providers.a.retry.max-backoff", "200ms"),
                    entry("providers.a.retry.attempt-timeout", "2s"),
                    entry("providers.a.retry.window", "60s"),
                    entry("providers.a.circuit-breaker.enabled", "true"),
                    entry("providers.a.circuit-breaker.sliding-window-size", 4),
                    entry("providers.a.circuit-breaker.minimum-calls", 4),
                    entry("providers.a.circuit-breaker.failure-rate-threshold", 50),
                    entry("providers.a.circuit-breaker.open-duration", "300ms"),
                    entry("providers.a.circuit-breaker.half-open-calls", 1),
                    entry("providers.b.type", "openai"),
                    entry("providers.b.base-url", url),
                    entry("providers.b.retry.initial-backoff", "20ms"),
                    entry("providers.b.retry.max-backoff", "200ms"),
                    entry("providers.b.retry.attempt-timeout", "2s")));
            MeterRegistry meters = worker.getBean(MeterRegistry.class);

            List<String> aJobs = IntStream.range(0, 12).mapToObj(i -> h.prefix + "-a-" + i).toList();
            aJobs.forEach(id -> h.send(request(id, modelA, "hello " + id).setProvider("a").build()));
            await().atMost(Duration.ofSeconds(30)).until(() -> transitions(meters, "a", "open") >= 1);
            Instant outageSeen = Instant.now();

            // While a's breaker is open and its jobs wait, b's jobs run to completion.
            List<String> bJobs = IntStream.range(0, 10).mapToObj(i -> h.prefix + "-b-" + i).toList();
            bJobs.forEach(id -> h.send(request(id, modelB, "hello " + id).setProvider("b").build()));
            await().atMost(Duration.ofSeconds(30)).until(() -> h.results().size() >= bJobs.size());
            List<CompletionResult> early = h.results();
            assertThat(early).extracting(CompletionResult::getJobId).containsExactlyInAnyOrderElementsOf(bJobs);
            assertThat(early).allSatisfy(r -> {
                assertThat(r.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
                assertThat(r.getAttempts()).isEqualTo(1);
            });
            assertThat(state(meters, "a", "closed")).isZero();
            assertThat(state(meters, "b", "closed")).isEqualTo(1.0);

            // The outage goes on for two seconds, the breaker's trial calls failing and re-opening it, and still
            // no job of a has failed: their waits are not attempts.
            await().atMost(Duration.ofSeconds(30)).until(() -> transitions(meters, "a", "open") >= 3
                    && Duration.between(outageSeen, Instant.now()).compareTo(Duration.ofSeconds(2)) >= 0);
            assertThat(h.results()).hasSize(bJobs.size());
            assertThat(h.collector(h.dlq).size()).isZero();
            int outageCalls = sim.requestsForModel(modelA).size();
            assertThat(outageCalls).isLessThan(aJobs.size() * 3);

            // The provider recovers: every job of a succeeds, none is dead-lettered.
            sim.onModel(modelA, Behaviour.ok());
            await().atMost(Duration.ofSeconds(60)).until(() -> h.results().size() >= aJobs.size() + bJobs.size());
            List<CompletionResult> all = h.results();
            assertThat(all).hasSize(aJobs.size() + bJobs.size());
            assertThat(all).allSatisfy(r -> assertThat(r.getStatus()).as(r.getJobId())
                    .isEqualTo(CompletionStatus.SUCCEEDED));
            assertThat(all.stream().filter(r -> aJobs.contains(r.getJobId())))
                    .allSatisfy(r -> assertThat(r.getAttempts()).isPositive());
            await().atMost(Duration.ofSeconds(10)).until(() -> h.committedTotal() == all.size());
            assertThat(h.collector(h.dlq).size()).isZero();
            WaitingRoom room = worker.getBean(ProviderRegistry.class).find("a").orElseThrow().guard()
                    .waitingRoom();
            assertThat(room.capacity()).isEqualTo(aJobs.size());
            assertThat(room.peak()).isBetween(1, aJobs.size());
            assertThat(room.waiting()).isZero();
            assertThat(state(meters, "a", "closed")).isEqualTo(1.0);
            // Waits were refusals by the open breaker; b's calls each took one concurrency permit.
            assertThat(meters.find("inference.provider.deferrals").tags("provider", "a", "reason", "circuit_open")
                    .counter().count()).isPositive();
            assertThat(meters.find("inference.provider.limiter.wait").tags("provider", "b", "limiter", "concurrency")
                    .timer().count()).isEqualTo(bJobs.size());
            // One successful call per job after the recovery (and perhaps one last failed trial just before it).
            assertThat(sim.requestsForModel(modelA).size())
                    .isBetween(outageCalls + aJobs.size(), outageCalls + aJobs.size() + 1);
        }
    }

    private static double transitions(MeterRegistry meters, String provider, String state) {
        Counter c = meters.find("inference.provider.circuit.transitions").tags("provider", provider, "state", state)
                .counter();
        return c == null ? 0 : c.count();
    }

    private static double state(MeterRegistry meters, String provider, String state) {
        Gauge g = meters.find("inference.provider.circuit.state").tags("provider", provider, "state", state).gauge();
        return g == null ? -1 : g.value();
    }
}
