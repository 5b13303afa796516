package io.inferenceworker.it;

import static io.inferenceworker.it.WorkerHarness.request;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.schemas.CompletionChunk;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.CompletionStatus;
import io.inferenceworker.schemas.RouteHop;
import io.inferenceworker.schemas.UsageRecord;
import io.inferenceworker.testkit.sim.Behaviour;
import io.inferenceworker.testkit.sim.Dialect;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Routes with fallbacks end to end (real worker, Kafka, registry and simulator): a route over instance {@code a}
 * then {@code b}, told apart by model on the same simulator.
 */
class RoutingTest {

    /** Route "chat": a (model ...-a), then b (model ...-b); a has a small breaker and 2 attempts. */
    private static Map<String, Object> routeOverAThenB(WorkerHarness h, Map<String, Object> routeSettings) {
        String url = h.stack.simulator().baseUrl(Dialect.OPENAI);
        Map<String, Object> p = new HashMap<>(Map.ofEntries(
                entry("providers.a.type", "openai"),
                entry("providers.a.base-url", url),
                entry("providers.a.retry.max-attempts", 2),
                entry("providers.a.retry.initial-backoff", "20ms"),
                entry("providers.a.retry.max-backoff", "50ms"),
                entry("providers.a.retry.attempt-timeout", "2s"),
                entry("providers.a.circuit-breaker.enabled", "true"),
                entry("providers.a.circuit-breaker.sliding-window-size", 4),
                entry("providers.a.circuit-breaker.minimum-calls", 4),
                entry("providers.a.circuit-breaker.failure-rate-threshold", 50),
                entry("providers.a.circuit-breaker.open-duration", "500ms"),
                entry("providers.a.circuit-breaker.half-open-calls", 1),
                entry("providers.b.type", "openai"),
                entry("providers.b.base-url", url),
                entry("providers.b.retry.initial-backoff", "20ms"),
                entry("providers.b.retry.attempt-timeout", "2s"),
                entry("routes.chat.hops[0].provider", "a"),
                entry("routes.chat.hops[0].model", h.prefix + "-a"),
                entry("routes.chat.hops[1].provider", "b"),
                entry("routes.chat.hops[1].model", h.prefix + "-b")));
        p.putAll(routeSettings);
        return p;
    }

    @Test
    void aRouteFallsBackWhileItsFirstInstanceIsDownAndReturnsToItAfterRecovery() {
        try (WorkerHarness h = new WorkerHarness("route-fallback", 2)) {
            var sim = h.stack.simulator();
            String modelA = h.prefix + "-a";
            String modelB = h.prefix + "-b";
            sim.onModel(modelA, Behaviour.status(503));
            MeterRegistry meters = h.startWorker(routeOverAThenB(h, Map.of())).getBean(MeterRegistry.class);

            // a is down. The first job fails twice on a (its retries exhausted) and moves on; the second's failures
            // open a's breaker (4 calls recorded), which moves it on too; later jobs leave a at once, without a call
            // (or after one failed trial call), while the breaker is open. b answers every one.
            CompletionResult first = sendAndAwait(h, h.prefix + "-down-first", false);
            assertThat(first.getHops().get(0).getAttempts()).isEqualTo(2);
            assertThat(first.getHops().get(0).getErrorCode()).isEqualTo("server_error");
            CompletionResult second = sendAndAwait(h, h.prefix + "-down-second", false);
            assertThat(second.getHops().get(0).getErrorCode()).isEqualTo("circuit_open");
            List<String> jobs = IntStream.range(0, 8).mapToObj(i -> h.prefix + "-down-" + i).toList();
            jobs.forEach(id -> h.send(request(id, null, "hello " + id).setProvider("chat").build()));
            String streamed = h.prefix + "-down-streamed";
            h.send(request(streamed, null, "stream me").setProvider("chat").setStream(true).build());
            await().atMost(Duration.ofSeconds(60)).until(() -> h.results().size() >= jobs.size() + 3);
            List<CompletionResult> down = h.results();
            assertThat(down).allSatisfy(r -> {
                assertThat(r.getStatus()).as(r.getJobId()).isEqualTo(CompletionStatus.SUCCEEDED);
                assertThat(r.getRoute()).isEqualTo("chat");
                assertThat(r.getProvider()).isEqualTo("b");
                assertThat(r.getModel()).isEqualTo(modelB);
                assertThat(r.getHops()).extracting(RouteHop::getProvider).containsExactly("a", "b");
                RouteHop left = r.getHops().get(0);
                assertThat(left.getStatus()).isEqualTo(CompletionStatus.FAILED);
                assertThat(left.getModel()).isEqualTo(modelA);
                RouteHop answered = r.getHops().get(1);
                assertThat(answered.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
                assertThat(answered.getAttempts()).isEqualTo(1);
                assertThat(answered.getErrorCode()).isNull();
                assertThat(r.getAttempts()).isEqualTo(left.getAttempts() + 1);
            });
            List<CompletionResult> later = down.stream().filter(r -> jobs.contains(r.getJobId())
                    || r.getJobId().equals(streamed)).toList();
            assertThat(later).allSatisfy(r -> {
                assertThat(r.getHops().get(0).getErrorCode()).isEqualTo("circuit_open");
                assertThat(r.getHops().get(0).getAttempts()).isBetween(0, 1);
            });
            assertThat(later).anySatisfy(r -> assertThat(r.getHops().get(0).getAttempts()).isZero());
            assertThat(meters.find("inference.route.fallbacks").tags("route", "chat", "provider", "a")
                    .counters().stream().mapToDouble(Counter::count).sum()).isEqualTo(down.size());
            assertThat(h.collector(h.dlq).size()).isZero();

            // Usage is charged to the hop that answered.
            await().atMost(Duration.ofSeconds(10)).until(() -> h.collector(h.usage).size() >= down.size());
            List<UsageRecord> usage = h.collector(h.usage).records().stream()
                    .map(r -> (UsageRecord) h.decode(h.usage, r)).toList();
            assertThat(usage).allSatisfy(u -> {
                assertThat(u.getProvider()).isEqualTo("b");
                assertThat(u.getModel()).isEqualTo(modelB);
            });

            // The streamed job's chunks from b carry the attempt number that goes on from a's attempts.
            CompletionResult stream = down.stream().filter(r -> r.getJobId().equals(streamed)).findFirst()
                    .orElseThrow();
            assertThat(stream.getStreamAttempt()).isEqualTo(stream.getAttempts());
            await().atMost(Duration.ofSeconds(10)).until(() -> chunksOf(h, streamed).stream()
                    .anyMatch(c -> c.getAttempt() == stream.getStreamAttempt()));

            // a recovers: once its breaker lets a trial call through, jobs are answered by a again, on the first hop.
            sim.onModel(modelA, Behaviour.ok());
            AtomicInteger probe = new AtomicInteger();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                String id = h.prefix + "-up-" + probe.getAndIncrement();
                h.send(request(id, null, "hello again").setProvider("chat").build());
                CompletionResult r = await().atMost(Duration.ofSeconds(20))
                        .until(() -> resultOf(h, id), Optional::isPresent).orElseThrow();
                return r.getProvider().equals("a");
            });
            String after = h.prefix + "-after";
            h.send(request(after, null, "and again").setProvider("chat").build());
            CompletionResult back = await().atMost(Duration.ofSeconds(20))
                    .until(() -> resultOf(h, after), Optional::isPresent).orElseThrow();
            assertThat(back.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(back.getProvider()).isEqualTo("a");
            assertThat(back.getModel()).isEqualTo(modelA);
            assertThat(back.getHops()).hasSize(1);
            assertThat(back.getHops().get(0).getAttempts()).isEqualTo(1);
            assertThat(back.getAttempts()).isEqualTo(1);
        }
    }

    @Test
    void insufficientCreditMovesOnAtOnceButAnAuthenticationFailureEndsTheJob() {
        try (WorkerHarness h = new WorkerHarness("route-credit", 1)) {
            var sim = h.stack.simulator();
            String modelA = h.prefix + "-a";
            sim.onModel(modelA, Behaviour.insufficientCredit());
            h.startWorker(routeOverAThenB(h, Map.of()));

            String credit = h.prefix + "-credit";
            h.send(request(credit, null, "hello").setProvider("chat").build());
            CompletionResult moved = await().atMost(Duration.ofSeconds(30))
                    .until(() -> resultOf(h, credit), Optional::isPresent).orElseThrow();
            assertThat(moved.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(moved.getProvider()).isEqualTo("b");
            assertThat(moved.getHops().get(0).getErrorCode()).isEqualTo("insufficient_credit");
            assertThat(moved.getHops().get(0).getAttempts()).isEqualTo(1);

            // A 401 is not a reason to move on (another hop would hide a configuration error): FAILED on a.
            sim.onModel(modelA, Behaviour.status(401));
            String auth = h.prefix + "-auth";
            h.send(request(auth, null, "hello").setProvider("chat").build());
            CompletionResult failed = await().atMost(Duration.ofSeconds(30))
                    .until(() -> resultOf(h, auth), Optional::isPresent).orElseThrow();
            assertThat(failed.getStatus()).isEqualTo(CompletionStatus.FAILED);
            assertThat(failed.getProvider()).isEqualTo("a");
            assertThat(failed.getRoute()).isEqualTo("chat");
            assertThat(failed.getHops()).extracting(RouteHop::getProvider).containsExactly("a");
            await().atMost(Duration.ofSeconds(10)).until(() -> h.collector(h.dlq).size() == 1);
        }
    }

    @Test
    void aHopThatDoesNotSupportAParameterIsLeftOnlyWhenTheRouteSaysSo() {
        try (WorkerHarness h = new WorkerHarness("route-invalid", 1)) {
            var sim = h.stack.simulator();
            // nscale does not support top_k; the OpenAI-compatible instance passes it on.
            h.startWorker(Map.ofEntries(
                    entry("providers.ns.type", "nscale"),
                    entry("providers.ns.base-url", sim.baseUrl(Dialect.NSCALE)),
                    entry("providers.ns.api-key", "nscale-test-key"),
                    entry("providers.b.type", "openai"),
                    entry("providers.b.base-url", sim.baseUrl(Dialect.OPENAI)),
                    entry("routes.lenient.hops[0].provider", "ns"),
                    entry("routes.lenient.hops[1].provider", "b"),
                    entry("routes.lenient.fall-back-on", List.of("circuit-open", "invalid")),
                    entry("routes.strict.hops[0].provider", "ns"),
                    entry("routes.strict.hops[1].provider", "b")));
            String lenient = h.prefix + "-lenient";
            String strict = h.prefix + "-strict";
            h.send(request(lenient, h.prefix + "-m", "hi").setProvider("lenient").setTopK(5).build());
            h.send(request(strict, h.prefix + "-m", "hi").setProvider("strict").setTopK(5).build());
            await().atMost(Duration.ofSeconds(30)).until(() -> resultOf(h, lenient).isPresent()
                    && resultOf(h, strict).isPresent());

            CompletionResult moved = resultOf(h, lenient).orElseThrow();
            assertThat(moved.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(moved.getProvider()).isEqualTo("b");
            assertThat(moved.getHops()).extracting(RouteHop::getStatus)
                    .containsExactly(CompletionStatus.INVALID, CompletionStatus.SUCCEEDED);
            assertThat(moved.getHops().get(0).getErrorCode()).isEqualTo("invalid_request");
            assertThat(moved.getHops().get(0).getAttempts()).isZero();
            assertThat(moved.getAttempts()).isEqualTo(1);

            CompletionResult invalid = resultOf(h, strict).orElseThrow();
            assertThat(invalid.getStatus()).isEqualTo(CompletionStatus.INVALID);
            assertThat(invalid.getProvider()).isEqualTo("ns");
            assertThat(invalid.getError().getMessage()).contains("top_k is not supported by provider ns");
            assertThat(invalid.getHops()).extracting(RouteHop::getProvider).containsExactly("ns");
            await().atMost(Duration.ofSeconds(10)).until(() -> h.collector(h.dlq).size() == 1);
        }
    }

    private static CompletionResult sendAndAwait(WorkerHarness h, String id, boolean stream) {
        h.send(request(id, null, "hello " + id).setProvider("chat").setStream(stream).build());
        return await().atMost(Duration.ofSeconds(30)).until(() -> resultOf(h, id), Optional::isPresent).orElseThrow();
    }

    private static Optional<CompletionResult> resultOf(WorkerHarness h, String jobId) {
        return h.results().stream().filter(r -> r.getJobId().equals(jobId)).findFirst();
    }

    private static List<CompletionChunk> chunksOf(WorkerHarness h, String jobId) {
        return h.collector(h.chunks).records().stream().map(r -> (CompletionChunk) h.decode(h.chunks, r))
                .filter(c -> c.getJobId().equals(jobId)).toList();
    }
}
