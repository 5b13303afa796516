package io.inferenceworker.faults;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Counts the jobs in flight at a SIGKILL, the most a replay may run (and publish) again: the jobs running (the
 * worker's {@code inference_jobs_in_flight} gauge just before the kill) plus the jobs that had ended but were not yet
 * committed or acknowledged.
 * <ul>
 *   <li>Group mode: after the kill (the dead worker commits nothing more) and a moment for the outputs it published
 *       to be read, the records that have an output and that a new owner replays: at or past their partition's
 *       committed offset and not marked completed in the commit's metadata ({@link CommitMetadata}).</li>
 *   <li>Share mode, approximate (no committed offset to read): the results of the last {@link #ACK_WINDOW} before
 *       the kill, four times the commit interval in which the worker acknowledges.</li>
 * </ul>
 * Not thread-safe: the scenario thread uses it.
 */
final class InFlightAtKill {
    static final Duration ACK_WINDOW = Duration.ofSeconds(2);
    private static final Duration CATCH_UP = Duration.ofSeconds(2);

    private final IntakeMode mode;
    private final BrokerProcess broker;
    private final String group;
    private final String requestTopic;
    private final Map<String, Workload.TopicPartitionOffset> positions;
    private final OutputWatch watch;
    private int recentResults;

    InFlightAtKill(IntakeMode mode, BrokerProcess broker, String group, String requestTopic,
                   Map<String, Workload.TopicPartitionOffset> positions, OutputWatch watch) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.broker = Objects.requireNonNull(broker, "broker");
        this.group = Objects.requireNonNull(group, "group");
        this.requestTopic = Objects.requireNonNull(requestTopic, "requestTopic");
        this.positions = Map.copyOf(positions);
        this.watch = Objects.requireNonNull(watch, "watch");
    }

    /** Called just before the kill. */
    void beforeKill() {
        recentResults = watch.resultsWithin(ACK_WINDOW);
    }

    /** Called just after the kill, with the gauge read before it: the jobs in flight at the kill. */
    int afterKill(int running) throws InterruptedException {
        if (mode == IntakeMode.SHARE) {
            return running + recentResults;
        }
        Waits.hold(CATCH_UP);
        Map<TopicPartition, OffsetAndMetadata> committed;
        try (Admin admin = broker.newAdmin()) {
            committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return running + recentResults;
        }
        Map<Integer, CommitMetadata> replayed = new HashMap<>();
        committed.forEach((tp, c) -> {
            if (tp.topic().equals(requestTopic) && c != null) {
                replayed.put(tp.partition(), CommitMetadata.parse(c.offset(), c.metadata()));
            }
        });
        int uncommittedEnded = 0;
        for (Map.Entry<String, Workload.TopicPartitionOffset> p : positions.entrySet()) {
            CommitMetadata c = replayed.getOrDefault(p.getValue().partition(), CommitMetadata.parse(0, null));
            if (c.replays(p.getValue().offset())
                    && (watch.results(p.getKey()) > 0 || watch.deadLetters(p.getKey()) > 0)) {
                uncommittedEnded++;
            }
        }
        return running + uncommittedEnded;
    }
}
