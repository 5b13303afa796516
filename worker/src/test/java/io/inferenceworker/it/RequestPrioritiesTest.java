package io.inferenceworker.it;

import static io.inferenceworker.it.WorkerHarness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.CompletionStatus;
import io.inferenceworker.testkit.sim.Behaviour;
import io.inferenceworker.testkit.sim.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, priorities: two request topics, {@code interactive} of weight 8 and {@code batch} of weight 1, each with a
 * backlog of {@value #JOBS} jobs before the worker starts; the simulator answers after {@value #LATENCY_MS} ms, so the
 * in-flight limit of {@value #LIMIT} is contended until the interactive backlog is done. In the contended window (the
 * first {@value #WINDOW} provider calls, while both topics certainly still have work) the interactive topic must get
 * close to its weight share, 8/9 (asserted: at least 70 %), and the batch topic must still progress; once the
 * interactive topic has nothing more, the batch topic must get the whole limit (at least half of it in flight
 * together, where its share under contention is 2 of 16). Both intake modes, against the embedded broker and the HTTP
 * simulator; every job runs once, and in group mode every offset of both topics is committed.
 *
 * <p>In share mode the window opens once the broker has given every lane its partitions: the worker's
 * {@value #SHARE_MEMBERS} share consumers join one by one, and until the last of them has an assignment, the
 * interactive topic may have fewer lanes reading it than its share needs (a CI run on 8 Dec 2026 measured 49 % over the
 * first 300 calls; in a full-suite run the last lane was assigned 4.1 s after start, 128 calls in). How fast the broker
 * assigns is not what this test is about.
 */
class RequestPrioritiesTest {
    private static final int LIMIT = 16;
    private static final int JOBS = 400;
    private static final int WINDOW = 300;
    private static final long LATENCY_MS = 100;
    private static final int SHARE_LANES = 4;
    /** Both topics' lanes. */
    private static final int SHARE_MEMBERS = 2 * SHARE_LANES;

    @Test
    void inGroupModeTheHeavierTopicGetsItsShareAndTheLighterOneProgresses() {
        try (WorkerHarness h = new WorkerHarness("prio-group", 2)) {
            run(h, Map.of());
        }
    }

    @Test
    void inShareModeTheHeavierTopicGetsItsShareAndTheLighterOneProgresses() {
        try (WorkerHarness h = new WorkerHarness("prio-share", 2)) {
            h.stack.kafka().alterGroupConfigs(h.group, Map.of("share.auto.offset.reset", "earliest"));
            run(h, Map.of("worker.intake-mode", "share", "worker.share-lanes", SHARE_LANES));
        }
    }

    private static void run(WorkerHarness h, Map<String, Object> mode) {
        String interactive = h.prefix + ".interactive";
        String batch = h.prefix + ".batch";
        h.stack.kafka().createTopic(interactive, 2);
        h.stack.kafka().createTopic(batch, 2);
        String heavyModel = h.prefix + "-interactive";
        String lightModel = h.prefix + "-batch";
        h.stack.simulator().onModel(heavyModel, Behaviour.latency(Duration.ofMillis(LATENCY_MS)));
        h.stack.simulator().onModel(lightModel, Behaviour.latency(Duration.ofMillis(LATENCY_MS)));
        // the light topic's backlog is written first: it must not crowd out the heavy one either
        List<String> ids = new ArrayList<>(send(h, batch, lightModel, "b"));
        ids.addAll(send(h, interactive, heavyModel, "i"));

        Map<String, Object> config = new HashMap<>(mode);
        config.put("worker.in-flight-limit", LIMIT);
        config.put("topics.request-priorities." + interactive, 8);
        config.put("topics.request-priorities." + batch, 1);
        Instant started = Instant.now();
        h.startWorker(config);
        boolean share = mode.containsKey("worker.intake-mode");
        // group mode: one consumer, assigned everything at once; share mode: when the last lane got its partitions
        Instant assigned = share ? h.awaitShareAssignment(SHARE_MEMBERS) : started;

        await().atMost(Duration.ofSeconds(120)).until(() -> h.collector(h.results).size() >= ids.size());
        Duration took = Duration.between(started, Instant.now());

        List<RecordedRequest> heavyCalls = h.stack.simulator().requestsForModel(heavyModel);
        List<RecordedRequest> lightCalls = h.stack.simulator().requestsForModel(lightModel);
        List<Instant> all = new ArrayList<>();
        heavyCalls.forEach(r -> all.add(r.receivedAt()));
        lightCalls.forEach(r -> all.add(r.receivedAt()));
        all.sort(null);
        long beforeAssigned = all.stream().filter(t -> t.isBefore(assigned)).count();
        List<Instant> window = all.stream().skip(beforeAssigned).limit(WINDOW).toList();
        assertThat(window).as("calls after every lane was assigned").hasSize(WINDOW);
        Instant windowStart = window.get(0);
        Instant windowEnd = window.get(WINDOW - 1);
        long heavyInWindow = callsBetween(heavyCalls, windowStart, windowEnd);
        long lightInWindow = callsBetween(lightCalls, windowStart, windowEnd);
        double heavyShare = (double) heavyInWindow / (heavyInWindow + lightInWindow);
        Instant heavyDone = heavyCalls.stream().map(RecordedRequest::receivedAt).max(Instant::compareTo).orElseThrow();
        long lightBeforeHeavyDone = lightCalls.stream().filter(r -> r.receivedAt().isBefore(heavyDone)).count();
        // once the interactive topic has nothing more, the batch topic gets the whole limit (work-conserving)
        List<Instant> lightAlone = lightCalls.stream().map(RecordedRequest::receivedAt)
                .filter(t -> t.isAfter(heavyDone.plusMillis(2 * LATENCY_MS))).sorted().toList();
        int lightAloneConcurrency = WorkerHarness.mostWithin(lightAlone, Duration.ofMillis(LATENCY_MS - 10));
        System.out.printf("RequestPrioritiesTest %s: %d calls before every lane was assigned (%d ms after start); "
                        + "the next %d calls: interactive %d, batch %d (%.1f %% interactive, "
                        + "weight share 88.9 %%); until the last interactive call: batch %d of %d; batch alone "
                        + "afterwards: up to %d calls within %d ms (limit %d); all %d jobs in %d ms%n",
                mode.getOrDefault("worker.intake-mode", "group"), beforeAssigned,
                Duration.between(started, assigned).toMillis(), WINDOW, heavyInWindow, lightInWindow,
                100 * heavyShare, lightBeforeHeavyDone, JOBS + lightBeforeHeavyDone, lightAloneConcurrency,
                LATENCY_MS - 10, LIMIT, ids.size(), took.toMillis());

        assertThat(heavyShare).as("interactive share of %d calls once every lane was assigned", WINDOW)
                .isGreaterThanOrEqualTo(0.70);
        assertThat(lightInWindow).as("batch calls in the contended window").isPositive();
        assertThat(lightAloneConcurrency).as("batch calls in flight together once interactive is done, limit %d",
                LIMIT).isGreaterThanOrEqualTo(LIMIT / 2);

        // nothing lost, nothing run twice, every offset committed on both topics
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> h.collector(h.results).size() == ids.size());
        Map<String, Long> perJob = h.results().stream().collect(Collectors.groupingBy(
                r -> r.getJobId().toString(), Collectors.counting()));
        assertThat(perJob).containsOnlyKeys(ids).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
        assertThat(h.results()).extracting(CompletionResult::getStatus).containsOnly(CompletionStatus.SUCCEEDED);
        assertThat(heavyCalls).hasSize(JOBS);
        assertThat(lightCalls).hasSize(JOBS);
        if (!share) {
            await().atMost(Duration.ofSeconds(10)).until(() -> committed(h, Set.of(interactive, batch)) == 2L * JOBS);
        }
    }

    /** The calls received from {@code start} to {@code end}, both included. */
    private static long callsBetween(List<RecordedRequest> calls, Instant start, Instant end) {
        return calls.stream().map(RecordedRequest::receivedAt).filter(t -> !t.isBefore(start) && !t.isAfter(end))
                .count();
    }

    private static List<String> send(WorkerHarness h, String topic, String model, String tag) {
        List<String> ids = IntStream.range(0, JOBS).mapToObj(i -> h.prefix + "-" + tag + "-" + i).toList();
        for (String id : ids) {
            CompletionRequest r = request(id, model, "hello").build();
            h.produce(topic, id.getBytes(StandardCharsets.UTF_8), h.encode(topic, r), List.of());
        }
        h.flush();
        return ids;
    }

    /** The group's committed offsets on {@code topics} (2 partitions each), summed. */
    private static long committed(WorkerHarness h, Set<String> topics) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, h.stack.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, h.group), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Set<TopicPartition> parts = new HashSet<>();
            topics.forEach(t -> IntStream.range(0, 2).forEach(p -> parts.add(new TopicPartition(t, p))));
            return c.committed(parts, Duration.ofSeconds(10)).values().stream()
                    .mapToLong(om -> om == null ? 0 : om.offset()).sum();
        }
    }
}
