package io.inferenceworker.intake;

import io.inferenceworker.job.Disposition;
import io.inferenceworker.job.JobPipeline;
import io.inferenceworker.job.RequestRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer-group intake: one poll thread, each record's job on its own virtual thread, concurrency bounded by a
 * global in-flight limit rather than by partitions, so one partition can keep the whole limit busy.
 *
 * <p><b>Backpressure.</b> When the limit (jobs, or request bytes: {@link InFlightBudget}) is reached, records already polled wait here and every assigned partition is
 * paused; the loop keeps polling (returning nothing), so {@code max.poll.interval.ms} is never exceeded however slow
 * providers are. Partitions resume when the waiting records have started.
 *
 * <p><b>Commits.</b> Per partition an {@link OffsetTracker} commits the highest contiguous completed offset, every
 * {@code commit-interval}, on revoke and at shutdown. A record is complete only once Kafka acknowledged all its
 * outputs, so a crash replays just the records in flight (plus those completed since the last commit).
 *
 * <p><b>Rebalances.</b> On revoke, what is complete is committed synchronously and records still waiting are dropped
 * (the new owner reads them). Jobs of revoked partitions that are already running are not interrupted: they finish
 * and publish, and the new owner, which starts from the committed offset, runs them again. Their results are
 * duplicates by job ID, which consumers of the output topics must tolerate anyway (at-least-once).
 *
 * <p>Thread-safety: {@link #stop} and {@link #inFlight} may be called from any thread; everything else runs on the poll
 * thread.
 */
public final class ConsumerGroupIntake implements Intake {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupIntake.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final Duration BUSY_POLL = Duration.ofMillis(5);

    private record Completion(TopicPartition partition, long offset, Disposition disposition) {
    }

    private final Consumer<byte[], byte[]> consumer;
    private final JobPipeline pipeline;
    private final String topic;
    private final String groupId;
    private final InFlightBudget budget;
    private final Duration commitInterval;
    private final Clock clock;

    private final Map<TopicPartition, OffsetTracker> trackers = new HashMap<>();
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> waiting = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running;
    private volatile boolean polling;
    private volatile Duration grace = Duration.ZERO;
    private Instant lastCommit = Instant.EPOCH;
    private Thread pollThread;

    public ConsumerGroupIntake(Consumer<byte[], byte[]> consumer, JobPipeline pipeline, String topic, String groupId,
                               IntakeLimits limits, Clock clock) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        this.budget = limits.newBudget();
        this.commitInterval = limits.commitInterval();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void start() {
        running = true;
        pollThread = Thread.ofPlatform().name("intake-" + topic).start(this::pollLoop);
    }

    @Override
    public int inFlight() {
        return budget.jobs();
    }

    @Override
    public boolean isRunning() {
        return polling;
    }

    private void pollLoop() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (running) {
                polling = true;
                startWaiting();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(waiting.isEmpty() ? IDLE_POLL : BUSY_POLL)) {
                    accept(record);
                }
                startWaiting();
                applyBackpressure();
                drainCompletions();
                commitIfDue(false);
            }
            drain();
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
            drain();
        } catch (RuntimeException e) {
            LOG.error("Intake poll loop failed; stopping intake", e);
        } finally {
            polling = false;
            closeConsumer();
            stopped.countDown();
        }
    }

    private void accept(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        OffsetTracker tracker = trackers.get(tp);
        if (tracker == null) {
            return;
        }
        if (tracker.delivered(record.offset())) {
            LOG.debug("Skipping {}-{}@{}: completed by an earlier owner", tp.topic(), tp.partition(), record.offset());
            return;
        }
        waiting.addLast(record);
    }

    private void startWaiting() {
        while (!waiting.isEmpty() && budget.tryAcquire(InFlightBudget.sizeOf(waiting.peekFirst()))) {
            ConsumerRecord<byte[], byte[]> record = waiting.pollFirst();
            long size = InFlightBudget.sizeOf(record);
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            pipeline.submit(new RequestRecord(record, groupId, clock.instant()))
                    .thenAccept(disposition -> {
                        budget.release(size);
                        completions.add(new Completion(tp, record.offset(), disposition));
                    });
        }
    }

    private void applyBackpressure() {
        Set<TopicPartition> assigned = consumer.assignment();
        if (!waiting.isEmpty()) {
            consumer.pause(assigned);
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private void drainCompletions() {
        Completion c;
        while ((c = completions.poll()) != null) {
            OffsetTracker tracker = trackers.get(c.partition());
            if (tracker != null && c.disposition() != Disposition.ABANDON) {
                tracker.completed(c.offset());
            }
        }
    }

    private void commitIfDue(boolean now) {
        Instant t = clock.instant();
        if (!now && Duration.between(lastCommit, t).compareTo(commitInterval) < 0) {
            return;
        }
        lastCommit = t;
        Map<TopicPartition, OffsetAndMetadata> offsets = committableOffsets(trackers.keySet());
        if (offsets.isEmpty()) {
            return;
        }
        consumer.commitAsync(offsets, (committed, error) -> {
            if (error != null) {
                LOG.warn("Offset commit failed (will be retried with the next one): {}", error.toString());
            }
        });
        offsets.forEach((tp, om) -> {
            OffsetTracker tracker = trackers.get(tp);
            if (tracker != null) {
                tracker.markCommitted(om.offset());
            }
        });
    }

    private Map<TopicPartition, OffsetAndMetadata> committableOffsets(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetTracker tracker = trackers.get(tp);
            if (tracker == null) {
                continue;
            }
            OptionalLong next = tracker.commitContiguous();
            if (next.isPresent() || tracker.hasCompletedBeyondGap()) {
                long offset = tracker.commitOffset();
                if (offset >= 0) {
                    offsets.put(tp, new OffsetAndMetadata(offset,
                            CompletedOffsets.encode(offset, tracker.completedBeyond())));
                }
            }
        }
        return offsets;
    }

    private void commitSync(Collection<TopicPartition> partitions) {
        drainCompletions();
        Map<TopicPartition, OffsetAndMetadata> offsets = committableOffsets(partitions);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
            offsets.forEach((tp, om) -> trackers.get(tp).markCommitted(om.offset()));
        } catch (RuntimeException e) {
            LOG.warn("Synchronous offset commit failed; the records will be replayed: {}", e.toString());
        }
    }

    /** Shutdown: no new jobs; keep polling (paused) while in-flight jobs finish within the grace period. */
    private void drain() {
        waiting.clear();
        consumer.pause(consumer.assignment());
        Instant until = clock.instant().plus(grace);
        while (inFlight() > 0 && clock.instant().isBefore(until)) {
            consumer.poll(BUSY_POLL.multipliedBy(10));
            drainCompletions();
            commitIfDue(false);
        }
        pipeline.close(Duration.ZERO);
        commitSync(new HashSet<>(trackers.keySet()));
    }

    private void closeConsumer() {
        try {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(10)));
        } catch (RuntimeException e) {
            LOG.warn("Closing the consumer failed: {}", e.toString());
        }
    }

    @Override
    public void stop(Duration gracePeriod) {
        this.grace = gracePeriod;
        running = false;
        try {
            if (pollThread != null && !stopped.await(gracePeriod.toMillis() + 30_000, TimeUnit.MILLISECONDS)) {
                LOG.warn("Intake did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitSync(partitions);
            forget(partitions);
            LOG.info("Partitions revoked: {}", partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
            LOG.warn("Partitions lost: {}", partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata om = committed.get(tp);
                long offset = om == null ? -1 : om.offset();
                Set<Long> done = om == null ? Set.of() : CompletedOffsets.decode(offset, om.metadata());
                trackers.put(tp, new OffsetTracker(offset, done));
            }
            LOG.info("Partitions assigned: {}", partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            partitions.forEach(trackers::remove);
            waiting.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
        }
    }
}
