package io.inferenceworker.it;

import static io.inferenceworker.it.WorkerHarness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.intake.Intake;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.CompletionStatus;
import io.inferenceworker.testkit.sim.Behaviour;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Workers scale out: in a consumer group by partitions, in a share group beyond them. */
class ScaleOutTest {

    @Test
    void twoWorkersInOneClassicConsumerGroupSplitThePartitionsAndFinishEveryJob() {
        runTwoWorkers("classic", 4, false, Map.of("kafka.group-protocol", "classic"));
    }

    @Test
    void twoWorkersWithTheKip848ConsumerProtocolSplitThePartitionsAndFinishEveryJob() {
        runTwoWorkers("kip848", 4, false, Map.of("kafka.group-protocol", "consumer"));
    }

    @Test
    void twoWorkersInAShareGroupBothGetWorkFromASinglePartition() {
        // a small in-flight limit makes each worker acquire only what it can start, leaving the rest to the other
        runTwoWorkers("share", 1, true, Map.of("worker.intake-mode", "share", "worker.in-flight-limit", 40));
    }

    private static void runTwoWorkers(String name, int partitions, boolean share, Map<String, Object> config) {
        try (WorkerHarness h = new WorkerHarness(name, partitions)) {
            if (share) {
                h.stack.kafka().alterGroupConfigs(h.group, Map.of("share.auto.offset.reset", "earliest"));
            }
            String model = h.prefix + "-m";
            h.stack.simulator().onModel(model, Behaviour.ok().withLatency(Duration.ofMillis(50)));
            List<io.micronaut.context.ApplicationContext> workers = new java.util.ArrayList<>();
            for (String id : List.of("worker-a", "worker-b")) {
                Map<String, Object> props = new HashMap<>(config);
                props.put("worker.id", id);
                workers.add(h.startWorker(props));
            }
            h.awaitMembers(2, share);
            List<String> ids = IntStream.range(0, 400).mapToObj(i -> h.prefix + "-" + i).toList();
            ids.forEach(id -> h.send(request(id, model, "hi").build()));

            await().atMost(Duration.ofSeconds(90)).until(() -> jobIds(h).size() == ids.size());
            assertThat(jobIds(h)).containsExactlyInAnyOrderElementsOf(ids);
            Map<String, Long> byWorker = h.results().stream()
                    .collect(Collectors.groupingBy(CompletionResult::getWorkerId, Collectors.counting()));
            assertThat(byWorker).containsKeys("worker-a", "worker-b");
            assertThat(workers).allSatisfy(w -> assertThat(w.getBean(Intake.class).isRunning()).isTrue());
        }
    }

    @Test
    void shareGroupJobsLongerThanTheAcquisitionLockRenewItAndRunExactlyOnce() {
        try (WorkerHarness h = new WorkerHarness("renew", 1)) {
            h.stack.kafka().alterGroupConfigs(h.group, Map.of("share.auto.offset.reset", "earliest",
                    "share.record.lock.duration.ms", "2000"));
            String model = h.prefix + "-slow";
            h.stack.simulator().onModel(model, Behaviour.ok().withLatency(Duration.ofMillis(5000)));
            List<io.micronaut.context.ApplicationContext> workers = new java.util.ArrayList<>();
            for (String id : List.of("worker-a", "worker-b")) {
                workers.add(h.startWorker(Map.of("worker.intake-mode", "share", "worker.id", id,
                        "providers.sim.retry.attempt-timeout", "10s")));
            }
            h.awaitMembers(2, true);
            List<String> ids = IntStream.range(0, 20).mapToObj(i -> h.prefix + "-" + i).toList();
            ids.forEach(id -> h.send(request(id, model, "hi").build()));

            await().atMost(Duration.ofSeconds(60)).until(() -> jobIds(h).size() == ids.size());
            // a lock that lapsed would have handed the record to the other worker: a second result
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(h.results()).as("results %s", h.results().stream()
                    .map(r -> r.getJobId().substring(r.getJobId().lastIndexOf('-')) + "@" + r.getWorkerId() + "/"
                            + r.getStatus() + "/" + r.getAttempts()).sorted().toList()).hasSize(ids.size()));
            assertThat(h.results()).allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED));
            assertThat(h.stack.simulator().requestsForModel(model)).hasSize(ids.size());
            assertThat(workers).allSatisfy(w -> assertThat(w.getBean(Intake.class).isRunning()).isTrue());
        }
    }

    private static Set<String> jobIds(WorkerHarness h) {
        return h.results().stream().map(CompletionResult::getJobId).collect(Collectors.toSet());
    }
}
