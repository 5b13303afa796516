package io.inferenceworker.it;

import static io.inferenceworker.it.WorkerHarness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.publish.DeadLetters;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.CompletionStatus;
import io.inferenceworker.schemas.UsageRecord;
import io.inferenceworker.testkit.sim.Behaviour;
import io.inferenceworker.testkit.sim.RecordedRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

/** The worker's data path end to end: embedded Kafka, embedded registry, provider simulator, a real worker. */
class WorkerPipelineTest {

    @Test
    void everyJobOfABatchGetsExactlyOneResultAndOneUsageRecord() {
        try (WorkerHarness h = new WorkerHarness("happy", 3)) {
            h.startWorker(Map.of());
            String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
            List<String> ids = IntStream.range(0, 60).mapToObj(i -> h.prefix + "-job-" + i).toList();
            for (String id : ids) {
                h.send(request(id, "happy-model", "Say hello " + id).setMetadata(Map.of("ticket", id)).build(),
                        List.of(new RecordHeader("traceparent", traceparent.getBytes(StandardCharsets.UTF_8))));
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> h.collector(h.usage).size() >= ids.size()
                    && h.collector(h.results).size() >= ids.size());

            List<CompletionResult> results = h.results();
            assertThat(results).extracting(CompletionResult::getJobId).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(results).allSatisfy(r -> {
                assertThat(r.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
                assertThat(r.getChoices()).isNotEmpty();
                assertThat(r.getChoices().get(0).getContent()).isNotBlank();
                assertThat(r.getAttempts()).isEqualTo(1);
                assertThat(r.getMetadata()).containsEntry("ticket", r.getJobId());
                assertThat(r.getUsage().getTotalTokens()).isPositive();
            });
            List<String> usageIds = h.collector(h.usage).records().stream()
                    .map(r -> ((UsageRecord) h.decode(h.usage, r)).getJobId()).toList();
            assertThat(usageIds).containsExactlyInAnyOrderElementsOf(ids);
            // the request's trace continues to the provider and onto every output, from the worker's own spans
            String traceId = traceparent.substring(3, 35);
            assertThat(h.collector(h.results).records()).allSatisfy(r ->
                    assertThat(header(r, "traceparent")).startsWith("00-" + traceId + "-").isNotEqualTo(traceparent));
            assertThat(h.stack.simulator().requestsForModel("happy-model")).allSatisfy(r ->
                    assertThat(r.header("traceparent")).hasValueSatisfying(v -> assertThat(v)
                            .startsWith("00-" + traceId + "-").isNotEqualTo(traceparent)));
            assertThat(h.collector(h.dlq).size()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> h.committedTotal() == ids.size());
        }
    }

    @Test
    void onePartitionFeedsHundredsOfConcurrentProviderCalls() {
        try (WorkerHarness h = new WorkerHarness("parallel", 1)) {
            String model = h.prefix + "-slow";
            h.stack.simulator().onModel(model, Behaviour.ok().withLatency(Duration.ofMillis(200)));
            int jobs = 800;
            for (int i = 0; i < jobs; i++) {
                h.send(request(h.prefix + "-" + i, model, "p" + i).build());
            }
            h.flush();
            h.stack.simulator().resetPeak();
            h.startWorker(Map.of("worker.in-flight-limit", 256));

            await().atMost(Duration.ofSeconds(60)).until(() -> h.collector(h.results).size() >= jobs);
            assertThat(h.stack.simulator().peakConcurrency()).isGreaterThanOrEqualTo(200);
            assertThat(h.stack.simulator().peakConcurrency()).isLessThanOrEqualTo(256);
            await().atMost(Duration.ofSeconds(10)).until(() -> h.committedTotal() == jobs);
        }
    }

    @Test
    void largePromptsWaitForTheInFlightByteBudgetAndAllComplete() {
        try (WorkerHarness h = new WorkerHarness("bytes", 2)) {
            String model = h.prefix + "-large";
            h.stack.simulator().onModel(model, Behaviour.ok().withLatency(Duration.ofMillis(200)));
            int jobs = 24;
            String prompt = "x".repeat(8_000);
            for (int i = 0; i < jobs; i++) {
                h.send(request(h.prefix + "-" + i, model, prompt).build());
            }
            h.flush();
            // each record is a little over 8,000 bytes: 3 fit in 30,000, a 4th does not
            h.startWorker(Map.of("worker.in-flight-bytes-limit", 30_000));

            await().atMost(Duration.ofSeconds(60)).until(() -> h.collector(h.results).size() >= jobs);
            assertThat(h.results()).allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED));
            // Every call takes 200 ms, so calls that arrived within 150 ms of each other were in flight together.
            // (The simulator's global peak would also count calls other tests left hanging.)
            List<Instant> arrivals = h.stack.simulator().requestsForModel(model).stream()
                    .map(RecordedRequest::receivedAt).sorted().toList();
            assertThat(arrivals).hasSizeGreaterThanOrEqualTo(jobs);
            assertThat(WorkerHarness.mostWithin(arrivals, Duration.ofMillis(150))).isBetween(2, 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> h.committedTotal() == jobs);
        }
    }

    @Test
    void retriesFollowTheProvidersHintsAndOnlyTerminalFailuresAreDeadLettered() {
        try (WorkerHarness h = new WorkerHarness("retry", 2)) {
            var sim = h.stack.simulator();
            String m429 = h.prefix + "-429", m503 = h.prefix + "-503", hang = h.prefix + "-hang";
            String malformed = h.prefix + "-malformed", bad = h.prefix + "-400";
            sim.onModel(m429, Behaviour.rateLimited(Duration.ofSeconds(1)), Behaviour.ok());
            sim.onModel(m503, Behaviour.status(503), Behaviour.status(503), Behaviour.ok());
            sim.onModel(hang, Behaviour.hang());
            sim.onModel(malformed, Behaviour.malformedJson());
            sim.onModel(bad, Behaviour.status(400));
            h.startWorker(Map.of("providers.sim.retry.max-attempts", 3,
                    "providers.sim.retry.attempt-timeout", "700ms"));
            for (String model : List.of(m429, m503, hang, malformed, bad)) {
                h.send(request(model, model, "hello").build());
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> h.collector(h.results).size() >= 5);
            Map<String, CompletionResult> byJob = h.results().stream()
                    .collect(Collectors.toMap(CompletionResult::getJobId, Function.identity()));
            assertOutcome(byJob.get(m429), CompletionStatus.SUCCEEDED, 2, null);
            assertOutcome(byJob.get(m503), CompletionStatus.SUCCEEDED, 3, null);
            assertOutcome(byJob.get(hang), CompletionStatus.FAILED, 3, "timeout");
            assertOutcome(byJob.get(malformed), CompletionStatus.FAILED, 3, "malformed_response");
            assertOutcome(byJob.get(bad), CompletionStatus.FAILED, 1, "bad_request");
            assertThat(byJob.get(bad).getError().getHttpStatus()).isEqualTo(400);
            assertThat(byJob.get(bad).getError().getRetryable()).isFalse();

            // Retry-After: 1 was honoured between the two attempts of the 429 job
            List<RecordedRequest> calls = sim.requestsForModel(m429);
            assertThat(calls).hasSize(2);
            assertThat(Duration.between(calls.get(0).receivedAt(), calls.get(1).receivedAt()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
            assertThat(sim.requestsForModel(m503)).hasSize(3);
            assertThat(sim.requestsForModel(bad)).hasSize(1);

            await().atMost(Duration.ofSeconds(10)).until(() -> h.collector(h.dlq).size() >= 3);
            List<ConsumerRecord<byte[], byte[]>> dead = h.collector(h.dlq).records();
            assertThat(dead).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder(hang, malformed, bad);
            ConsumerRecord<byte[], byte[]> badLetter = dead.stream()
                    .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(bad)).findFirst().orElseThrow();
            assertThat(header(badLetter, DeadLetters.STAGE)).isEqualTo("provider");
            assertThat(header(badLetter, DeadLetters.HTTP_STATUS)).isEqualTo("400");
            assertThat(header(badLetter, DeadLetters.ATTEMPTS)).isEqualTo("1");
            assertThat(header(badLetter, DeadLetters.PROVIDER)).isEqualTo("sim");
            assertThat(header(badLetter, DeadLetters.TOPIC)).isEqualTo(h.requests);
            assertThat(header(badLetter, DeadLetters.CONSUMER_GROUP)).isEqualTo(h.group);
            assertThat(header(badLetter, DeadLetters.WORKER_ID)).isNotBlank();
        }
    }

    @Test
    void invalidRequestsAreRejectedBeforeAnyCallAndExpiredJobsAreNotStarted() {
        try (WorkerHarness h = new WorkerHarness("invalid", 1)) {
            h.startWorker(Map.of());
            String unknown = h.prefix + "-unknown", hot = h.prefix + "-hot", late = h.prefix + "-late";
            h.send(request(unknown, "m", "hi").setProvider("nope").build());
            h.send(request(hot, hot, "hi").setTemperature(5.0).build());
            h.send(request(late, late, "hi").setDeadline(Instant.now().minusSeconds(5)).build());

            await().atMost(Duration.ofSeconds(30)).until(() -> h.collector(h.results).size() >= 3);
            Map<String, CompletionResult> byJob = h.results().stream()
                    .collect(Collectors.toMap(CompletionResult::getJobId, Function.identity()));
            assertThat(byJob.get(unknown).getStatus()).isEqualTo(CompletionStatus.INVALID);
            assertThat(byJob.get(unknown).getError().getMessage()).contains("unknown provider 'nope'");
            assertThat(byJob.get(hot).getStatus()).isEqualTo(CompletionStatus.INVALID);
            assertThat(byJob.get(hot).getError().getMessage()).contains("temperature");
            assertThat(byJob.get(late).getStatus()).isEqualTo(CompletionStatus.EXPIRED);
            assertThat(h.stack.simulator().requestsForModel(hot)).isEmpty();
            assertThat(h.stack.simulator().requestsForModel(late)).isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> h.collector(h.dlq).size() >= 2);
            assertThat(h.collector(h.dlq).records()).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder(unknown, hot);
        }
    }

    @Test
    void poisonRecordsAreDeadLetteredOnceWithTheirOriginalBytesWhileGoodOnesSucceed() {
        try (WorkerHarness h = new WorkerHarness("poison", 1)) {
            h.startWorker(Map.of());
            byte[] good = h.serialize(request("template", "m", "hi").build());
            int schemaId = ByteBuffer.wrap(good, 1, 4).getInt();
            byte[] badMagic = {1, 0, 0, 0, 1, 2, 3};
            byte[] unknownId = {0, 0x7f, (byte) 0xff, (byte) 0xff, 0x01, 2, 3};
            byte[] corrupt = ByteBuffer.allocate(9).put((byte) 0).putInt(schemaId).putInt(0xffffffff).array();
            List<Header> headers = List.of(new RecordHeader("origin", "test".getBytes(StandardCharsets.UTF_8)));
            List<String> goodIds = IntStream.range(0, 8).mapToObj(i -> h.prefix + "-good-" + i).toList();
            h.send(request(goodIds.get(0), "m", "a").build());
            h.sendRaw(key("bad-magic"), badMagic, headers);
            h.send(request(goodIds.get(1), "m", "a").build());
            h.sendRaw(key("unknown-id"), unknownId, headers);
            h.send(request(goodIds.get(2), "m", "a").build());
            h.sendRaw(key("corrupt"), corrupt, headers);
            h.send(request(goodIds.get(3), "m", "a").build());
            h.sendRaw(null, h.serialize(request(h.prefix + "-nokey", "m", "a").build()), headers);
            for (String id : goodIds.subList(4, 8)) {
                h.send(request(id, "m", "a").build());
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> h.collector(h.results).size() >= goodIds.size()
                    && h.collector(h.dlq).size() >= 4);
            assertThat(h.results()).extracting(CompletionResult::getJobId).containsExactlyInAnyOrderElementsOf(goodIds);
            assertThat(h.results()).allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED));
            List<ConsumerRecord<byte[], byte[]>> dead = h.collector(h.dlq).records();
            assertThat(dead).hasSize(4);
            Map<String, byte[]> valueByKey = dead.stream().collect(Collectors.toMap(
                    r -> r.key() == null ? "<none>" : new String(r.key(), StandardCharsets.UTF_8), r -> r.value()));
            assertThat(valueByKey.get("bad-magic")).isEqualTo(badMagic);
            assertThat(valueByKey.get("unknown-id")).isEqualTo(unknownId);
            assertThat(valueByKey.get("corrupt")).isEqualTo(corrupt);
            assertThat(valueByKey).containsKey("<none>");
            assertThat(dead).allSatisfy(r -> {
                assertThat(header(r, DeadLetters.STAGE)).isEqualTo("decode");
                assertThat(header(r, "origin")).isEqualTo("test");
                assertThat(header(r, DeadLetters.OFFSET)).isNotBlank();
            });
            assertThat(Set.copyOf(dead.stream().map(r -> header(r, DeadLetters.EXCEPTION_CLASS)).toList()))
                    .hasSizeGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void aSchemaRegistryOutageDelaysDecodingButDeadLettersNothing() {
        try (WorkerHarness h = new WorkerHarness("outage", 1)) {
            List<String> ids = IntStream.range(0, 5).mapToObj(i -> h.prefix + "-" + i).toList();
            ids.forEach(id -> h.send(request(id, "m", "hi").build()));
            h.stack.registry().setAvailable(false);
            try {
                h.startWorker(Map.of());
                long before = h.stack.registry().callCount();
                await().atMost(Duration.ofSeconds(20)).until(() -> h.stack.registry().callCount() >= before + 3);
                assertThat(h.collector(h.results).size()).isZero();
                assertThat(h.collector(h.dlq).size()).isZero();
            } finally {
                h.stack.registry().setAvailable(true);
            }
            await().atMost(Duration.ofSeconds(40)).until(() -> h.collector(h.results).size() >= ids.size());
            assertThat(h.results()).allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED));
            assertThat(h.collector(h.dlq).size()).isZero();
        }
    }

    private static void assertOutcome(CompletionResult r, CompletionStatus status, int attempts, String code) {
        assertThat(r).as("result").isNotNull();
        assertThat(r.getStatus()).as(r.getJobId()).isEqualTo(status);
        assertThat(r.getAttempts()).as(r.getJobId() + " attempts").isEqualTo(attempts);
        if (code != null) {
            assertThat(r.getError().getCode()).as(r.getJobId() + " code").isEqualTo(code);
        }
    }

    static byte[] key(String k) {
        return k.getBytes(StandardCharsets.UTF_8);
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
