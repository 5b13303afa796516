package io.inferenceworker.it;

import static io.inferenceworker.it.WorkerHarness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.testkit.JvmForks;
import io.inferenceworker.testkit.sim.Behaviour;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A worker killed with SIGKILL mid-run (no graceful shutdown, no final commit) loses no job: its successor replays
 * from the committed offsets, skipping what the commit metadata says was already completed beyond the gap.
 */
class CrashSafetyTest {
    private static final int IN_FLIGHT_LIMIT = 40;

    @Test
    void aWorkerKilledMidRunLosesNoJobAndItsSuccessorDuplicatesOnlyWhatWasInFlight() throws Exception {
        try (WorkerHarness h = new WorkerHarness("crash", 2)) {
            String model = h.prefix + "-m";
            h.stack.simulator().onModel(model, Behaviour.ok().withLatency(Duration.ofMillis(300)));
            List<String> ids = IntStream.range(0, 600).mapToObj(i -> h.prefix + "-" + i).toList();
            ids.forEach(id -> h.send(request(id, model, "hi").build()));

            Map<String, Object> props = h.workerProperties(Map.of(
                    "worker.in-flight-limit", IN_FLIGHT_LIMIT,
                    "worker.id", "doomed",
                    "kafka.consumer.session.timeout.ms", "6000",
                    "kafka.consumer.heartbeat.interval.ms", "500"));
            Process doomed = fork(props, h.prefix);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> h.collector(h.results).size() >= 150);
            } finally {
                doomed.destroyForcibly().waitFor();
            }
            int beforeCrash = h.collector(h.results).size();

            h.startWorker(Map.of("worker.id", "successor", "kafka.consumer.session.timeout.ms", "6000"));
            await().atMost(Duration.ofSeconds(120)).until(() -> distinctJobs(h).size() == ids.size());

            assertThat(distinctJobs(h)).containsExactlyInAnyOrderElementsOf(ids);
            List<CompletionResult> results = h.results();
            int duplicates = results.size() - ids.size();
            // Duplicates are the jobs in flight at the crash: started, or finished after the last commit (every
            // 100 ms here, i.e. at most ~IN_FLIGHT_LIMIT/3 completions at 300 ms per call), but never more.
            assertThat(duplicates).as("duplicates after %d results before the crash", beforeCrash)
                    .isLessThanOrEqualTo(IN_FLIGHT_LIMIT + IN_FLIGHT_LIMIT / 2);
            assertThat(results).extracting(CompletionResult::getWorkerId).contains("doomed", "successor");
        }
    }

    @Test
    void sigtermLetsInFlightJobsFinishCommitsThemAndExitsZero() throws Exception {
        try (WorkerHarness h = new WorkerHarness("sigterm", 1)) {
            String model = h.prefix + "-m";
            h.stack.simulator().onModel(model, Behaviour.ok().withLatency(Duration.ofMillis(1500)));
            List<String> ids = IntStream.range(0, 200).mapToObj(i -> h.prefix + "-" + i).toList();
            ids.forEach(id -> h.send(request(id, model, "hi").build()));
            h.flush();

            Process worker = fork(h.workerProperties(Map.of("worker.in-flight-limit", 30, "worker.id", "graceful",
                    "worker.shutdown-grace", "20s")), h.prefix);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> h.collector(h.results).size() >= 30);
                worker.destroy(); // SIGTERM
                assertThat(worker.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(worker.exitValue()).isZero();
            } finally {
                worker.destroyForcibly();
            }
            // every job it started finished and was committed: nothing is left to replay twice
            int finished = distinctJobs(h).size();
            await().atMost(Duration.ofSeconds(10)).until(() -> h.collector(h.results).size() == finished);
            assertThat(h.committedTotal()).isEqualTo(finished);
            assertThat(h.results()).hasSize(finished);
        }
    }

    private static Set<String> distinctJobs(WorkerHarness h) {
        return h.results().stream().map(CompletionResult::getJobId).collect(Collectors.toSet());
    }

    /** The worker in its own JVM, so that it can really be killed; its output goes to a temporary file. */
    private static Process fork(Map<String, Object> props, String name) throws Exception {
        File log = File.createTempFile(name + "-worker", ".log");
        String fileName = log.getName();
        return new JvmForks(log.toPath().getParent()).start(fileName.substring(0, fileName.length() - ".log".length()),
                "io.inferenceworker.Application", List.of("-Xmx512m"), props, List.of());
    }
}
