package io.inferenceworker.it;

import static io.inferenceworker.it.WorkerHarness.request;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.provider.guard.Guarded;
import io.inferenceworker.provider.guard.WaitingRoom;
import io.inferenceworker.provider.registry.ProviderRegistry;
import io.inferenceworker.publish.DeadLetters;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.CompletionStatus;
import io.inferenceworker.testkit.sim.Behaviour;
import io.inferenceworker.testkit.sim.Dialect;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, fairness: the waiting jobs of one provider instance hold at most {@code worker.provider-waiting-share}
 * of the in-flight limit, so an instance that is down for longer than it takes to fill the budget leaves the other
 * instances' throughput intact. Against the real worker, Kafka and simulator: in-flight limit {@value #LIMIT}, share
 * 0.5, instance {@code a} answering 503 to every call (its breaker opens), instance {@code b} healthy.
 */
class ProviderFairnessTest {
    private static final int LIMIT = 64;
    private static final int WARM_UP = 1000;
    private static final int B_JOBS = 1000;
    private static final int A_FIRST = 200;
    private static final int A_DURING = 300;

    @Test
    void aProviderDownLongerThanItTakesToFillTheBudgetHoldsOnlyItsShareAndTheOthersKeepTheirThroughput() {
        try (WorkerHarness h = new WorkerHarness("fairness", 4)) {
            String modelA = h.prefix + "-a";
            String modelB = h.prefix + "-b";
            h.stack.simulator().onModel(modelA, Behaviour.status(503));
            ApplicationContext worker = h.startWorker(properties(h, "0.5"));
            WaitingRoom roomA = room(worker, "a");
            assertThat(roomA.capacity()).isEqualTo(LIMIT / 2);

            // b alone: warm up, then measure.
            runB(h, "warm", WARM_UP, modelB, List.of());
            double alone = runB(h, "alone", B_JOBS, modelB, List.of());

            // a goes down with more jobs than the whole in-flight limit; its waiting jobs fill its share of it.
            List<String> aJobs = ids(h, "a", A_FIRST + A_DURING);
            aJobs.subList(0, A_FIRST).forEach(id -> h.send(request(id, modelA, "hello").setProvider("a").build()));
            h.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> roomA.waiting() == LIMIT / 2);
            MeterRegistry meters = worker.getBean(MeterRegistry.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> gauge(meters, "inference.provider.waiting", "a")
                    == LIMIT / 2.0);
            assertThat(gauge(meters, "inference.provider.waiting.capacity", "a")).isEqualTo(LIMIT / 2.0);

            // b's jobs, with more of a's arriving among them, flow as they did alone.
            double withADown = runB(h, "during", B_JOBS, modelB,
                    aJobs.subList(A_FIRST, aJobs.size()).stream()
                            .map(id -> request(id, modelA, "hello").setProvider("a").build()).toList());
            int waitingDuring = roomA.waiting();
            assertThat(roomA.peak()).isEqualTo(LIMIT / 2);

            // Every job of a but the waiting ones ended FAILED at once, each with a dead letter.
            await().atMost(Duration.ofSeconds(60)).until(() -> count(h.collector(h.results), h.prefix + "-a-")
                    == aJobs.size() - LIMIT / 2);
            assertThat(h.stack.simulator().requestsForModel(modelA).size()).as("a's calls: refusals call nothing")
                    .isLessThan(aJobs.size() / 2);

            // b alone again, a still down (its jobs waiting, none arriving): the JIT may have warmed up since the
            // first measurement, so b's throughput while a was down is judged against the better of the two.
            double aloneAfter = runB(h, "after", B_JOBS, modelB, List.of());
            System.out.printf("ProviderFairnessTest: b alone %.0f jobs/s (again: %.0f), b while a is down and its "
                    + "jobs keep arriving %.0f jobs/s; %d of a's jobs waiting, at most %d%n", alone, aloneAfter,
                    withADown, waitingDuring, roomA.peak());
            // Starved, b would get nothing (see the share-1 test below). Not half: b's 1,000 jobs take well under a
            // second on 2 cores and this phase also fails and dead-letters 300 of a's jobs (measured 0.42 of the
            // better alone run once, in a full ./mvnw verify).
            assertThat(withADown).as("b's jobs/s while a is down, against %.0f and %.0f alone", alone, aloneAfter)
                    .isGreaterThan(Math.max(alone, aloneAfter) * 0.25);

            // a comes back: its waiting jobs succeed.
            h.stack.simulator().onModel(modelA, Behaviour.ok());
            int total = WARM_UP + 3 * B_JOBS + aJobs.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> h.collector(h.results).size() >= total);
            Map<String, CompletionResult> results = h.results().stream()
                    .collect(Collectors.toMap(r -> r.getJobId().toString(), Function.identity()));
            assertThat(h.collector(h.results).size()).as("exactly one result per job").isEqualTo(total);
            assertThat(results).hasSize(total);
            List<CompletionResult> aResults = aJobs.stream().map(results::get).toList();
            List<CompletionResult> aFailed = aResults.stream()
                    .filter(r -> r.getStatus() == CompletionStatus.FAILED).toList();
            assertThat(aResults.stream().filter(r -> r.getStatus() == CompletionStatus.SUCCEEDED))
                    .hasSize(aJobs.size() - aFailed.size()).hasSizeLessThanOrEqualTo(LIMIT / 2);
            assertThat(aFailed).hasSizeGreaterThanOrEqualTo(aJobs.size() - LIMIT / 2).allSatisfy(r -> {
                assertThat(r.getError().getCode().toString()).isEqualTo(Guarded.BACKLOG_FULL);
                assertThat(r.getError().getMessage().toString()).contains("provider instance a",
                        "worker.provider-waiting-share 0.5 of worker.in-flight-limit 64");
            });
            assertThat(results.values().stream().filter(r -> !aJobs.contains(r.getJobId().toString())))
                    .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED));

            // One dead letter per failed job, at stage provider with the code; nothing else dead-lettered.
            await().atMost(Duration.ofSeconds(30)).until(() -> h.collector(h.dlq).size() >= aFailed.size());
            List<ConsumerRecord<byte[], byte[]>> dead = h.collector(h.dlq).records();
            assertThat(dead.stream().map(r -> key(r)).collect(Collectors.toSet()))
                    .hasSize(dead.size())
                    .isEqualTo(aFailed.stream().map(r -> r.getJobId().toString()).collect(Collectors.toSet()));
            assertThat(dead).allSatisfy(r -> {
                assertThat(header(r, DeadLetters.STAGE)).isEqualTo("provider");
                assertThat(header(r, DeadLetters.ERROR_CODE)).isEqualTo(Guarded.BACKLOG_FULL);
                assertThat(header(r, DeadLetters.PROVIDER)).isEqualTo("a");
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> h.committedTotal() == total);
            assertThat(roomA.waiting()).isZero();
        }
    }

    @Test
    void jobsWaitingToRetryAfterAProviders429sHoldOnlyTheirShareToo() {
        // 429s are not outages (the breaker stays closed): a's jobs wait the provider's Retry-After between attempts.
        try (WorkerHarness h = new WorkerHarness("fair429", 4)) {
            String modelA = h.prefix + "-a";
            String modelB = h.prefix + "-b";
            h.stack.simulator().onModel(modelA, Behaviour.rateLimited(Duration.ofSeconds(15)));
            ApplicationContext worker = h.startWorker(properties(h, "0.5"));
            WaitingRoom roomA = room(worker, "a");

            List<String> aJobs = ids(h, "a", A_FIRST);
            aJobs.forEach(id -> h.send(request(id, modelA, "hello").setProvider("a").build()));
            h.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> roomA.waiting() == LIMIT / 2
                    && count(h.collector(h.results), h.prefix + "-a-") == aJobs.size() - LIMIT / 2);
            int aCalls = h.stack.simulator().requestsForModel(modelA).size();

            // b's jobs all run while a's jobs still wait for their Retry-After (no call of a since).
            List<String> bJobs = ids(h, "b", 200);
            bJobs.forEach(id -> h.send(request(id, modelB, "hello").setProvider("b").build()));
            h.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> count(h.collector(h.results), h.prefix + "-b-")
                    == bJobs.size());
            assertThat(h.stack.simulator().requestsForModel(modelA)).hasSize(aCalls);
            assertThat(roomA.waiting()).isEqualTo(LIMIT / 2);
            assertThat(roomA.peak()).isEqualTo(LIMIT / 2);

            h.stack.simulator().onModel(modelA, Behaviour.ok());
            await().atMost(Duration.ofSeconds(60)).until(() -> h.collector(h.results).size()
                    >= aJobs.size() + bJobs.size());
            Map<String, CompletionResult> results = h.results().stream()
                    .collect(Collectors.toMap(r -> r.getJobId().toString(), Function.identity()));
            assertThat(results).hasSize(aJobs.size() + bJobs.size());
            List<CompletionResult> aFailed = aJobs.stream().map(results::get)
                    .filter(r -> r.getStatus() == CompletionStatus.FAILED).toList();
            assertThat(aFailed).hasSize(aJobs.size() - LIMIT / 2).allSatisfy(r -> {
                assertThat(r.getError().getCode().toString()).isEqualTo(Guarded.BACKLOG_FULL);
                assertThat(r.getError().getHttpStatus()).isEqualTo(429);
                assertThat(r.getError().getMessage().toString()).contains("provider instance a is failing",
                        "waiting to retry");
                assertThat(r.getAttempts()).isEqualTo(1);
            });
            assertThat(results.values()).filteredOn(r -> r.getStatus() == CompletionStatus.SUCCEEDED)
                    .hasSize(bJobs.size() + LIMIT / 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> h.collector(h.dlq).size() >= aFailed.size());
            assertThat(h.collector(h.dlq).records()).hasSize(aFailed.size())
                    .allSatisfy(r -> assertThat(header(r, DeadLetters.ERROR_CODE)).isEqualTo(Guarded.BACKLOG_FULL));
            await().atMost(Duration.ofSeconds(10)).until(() -> h.committedTotal() == aJobs.size() + bJobs.size());
        }
    }

    @Test
    void withTheWholeLimitAsTheShareOneProviderDownStarvesTheOthers() {
        // The contrast that shows the room is what keeps b flowing: share 1 is the behaviour before it.
        try (WorkerHarness h = new WorkerHarness("starved", 4)) {
            String modelA = h.prefix + "-a";
            String modelB = h.prefix + "-b";
            h.stack.simulator().onModel(modelA, Behaviour.status(503));
            ApplicationContext worker = h.startWorker(properties(h, "1"));
            WaitingRoom roomA = room(worker, "a");

            ids(h, "a", A_FIRST).forEach(id -> h.send(request(id, modelA, "hello").setProvider("a").build()));
            h.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> roomA.waiting() == LIMIT);
            ids(h, "b", 20).forEach(id -> h.send(request(id, modelB, "hello").setProvider("b").build()));
            h.flush();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> count(h.collector(h.results), h.prefix + "-b-") == 0);

            h.stack.simulator().onModel(modelA, Behaviour.ok());
            await().atMost(Duration.ofSeconds(60)).until(() -> h.collector(h.results).size() >= A_FIRST + 20);
            assertThat(h.results()).allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED));
            assertThat(h.collector(h.dlq).size()).isZero();
        }
    }

    /** Sends {@code n} jobs of b, with {@code others} spread among them, and returns b's jobs/s. */
    private static double runB(WorkerHarness h, String phase, int n, String modelB,
                               List<io.inferenceworker.schemas.CompletionRequest> others) {
        String prefix = h.prefix + "-b-" + phase + "-";
        int before = count(h.collector(h.results), prefix);
        assertThat(before).isZero();
        long started = System.nanoTime();
        int every = others.isEmpty() ? Integer.MAX_VALUE : Math.max(1, n / others.size());
        int sent = 0;
        for (int i = 0; i < n; i++) {
            h.send(request(prefix + i, modelB, "hello").setProvider("b").build());
            if (i % every == 0 && sent < others.size()) {
                h.send(others.get(sent++));
            }
        }
        while (sent < others.size()) {
            h.send(others.get(sent++));
        }
        h.flush();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                .until(() -> count(h.collector(h.results), prefix) >= n);
        return n / (Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0);
    }

    private static Map<String, Object> properties(WorkerHarness h, String share) {
        String url = h.stack.simulator().baseUrl(Dialect.OPENAI);
        Map<String, Object> p = new HashMap<>(Map.ofEntries(
                entry("worker.in-flight-limit", LIMIT),
                entry("worker.provider-waiting-share", share),
                // a: a breaker that opens after 4 recorded calls at 50 % failures and tries again every second, and
                // a retry window far longer than the test, so its waiting jobs wait until it comes back.
                entry("providers.a.type", "openai"),
                entry("providers.a.base-url", url),
                entry("providers.a.retry.max-attempts", 3),
                entry("providers.a.retry.initial-backoff", "20ms"),
                entry("providers.a.retry.max-backoff", "200ms"),
                entry("providers.a.retry.attempt-timeout", "2s"),
                entry("providers.a.retry.window", "10m"),
                entry("providers.a.circuit-breaker.enabled", "true"),
                entry("providers.a.circuit-breaker.sliding-window-size", 4),
                entry("providers.a.circuit-breaker.minimum-calls", 4),
                entry("providers.a.circuit-breaker.failure-rate-threshold", 50),
                entry("providers.a.circuit-breaker.open-duration", "1s"),
                entry("providers.a.circuit-breaker.half-open-calls", 1),
                entry("providers.b.type", "openai"),
                entry("providers.b.base-url", url),
                entry("providers.b.retry.initial-backoff", "20ms"),
                entry("providers.b.retry.max-backoff", "200ms"),
                entry("providers.b.retry.attempt-timeout", "2s")));
        return p;
    }

    private static WaitingRoom room(ApplicationContext worker, String instance) {
        return worker.getBean(ProviderRegistry.class).find(instance).orElseThrow().guard().waitingRoom();
    }

    private static List<String> ids(WorkerHarness h, String instance, int n) {
        return IntStream.range(0, n).mapToObj(i -> h.prefix + "-" + instance + "-" + i).toList();
    }

    private static int count(TopicCollector collector, String keyPrefix) {
        byte[] p = keyPrefix.getBytes(StandardCharsets.UTF_8);
        int n = 0;
        for (ConsumerRecord<byte[], byte[]> r : collector.records()) {
            if (r.key() != null && r.key().length >= p.length
                    && java.util.Arrays.equals(r.key(), 0, p.length, p, 0, p.length)) {
                n++;
            }
        }
        return n;
    }

    private static double gauge(MeterRegistry meters, String name, String provider) {
        Gauge g = meters.find(name).tags("provider", provider).gauge();
        return g == null ? -1 : g.value();
    }

    private static String key(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.key(), StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
