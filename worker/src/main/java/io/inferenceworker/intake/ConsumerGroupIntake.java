package io.inferenceworker.intake;

import io.inferenceworker.job.Disposition;
import io.inferenceworker.job.JobPipeline;
import io.inferenceworker.job.RequestRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer-group intake: one poll thread, each record's job on its own virtual thread, concurrency bounded by a
 * global in-flight limit rather than by partitions, so one partition can keep the whole limit busy.
 *
 * <p><b>Backpressure.</b> When the limit (jobs, or request bytes: {@link InFlightBudget}) is reached, records already
 * polled wait here and the partitions of their topic are paused; the loop keeps polling (returning nothing), so
 * {@code max.poll.interval.ms} is never exceeded however slow providers are. A topic's partitions resume when its
 * waiting records have started.
 *
 * <p><b>Several request topics</b> ({@code topics.request-priorities}): the consumer subscribes to all of them and
 * records wait in one queue per topic ({@link WaitingQueues}); when a slot frees, the next record to start is chosen
 * across the topics by their weights ({@link WeightedTopics}: proportional while several wait, work-conserving, no
 * starvation). Pausing per topic keeps a backlog of one topic from holding the poll buffer against the others. Offsets,
 * commits and rebalances are per partition, as with one topic; each topic's ID is looked up on its own.
 *
 * <p><b>Commits.</b> Per partition an {@link OffsetTracker} says what to commit: the first offset not complete, the
 * leader epoch of the record below it, and the offsets completed beyond it as metadata ({@link CompletedOffsets}).
 * Commits go out every {@code commit-interval} (asynchronously), synchronously on revoke and at shutdown; a commit
 * counts only once Kafka acknowledged it, so a failed one is retried with the next. A record is complete only once
 * Kafka acknowledged all its outputs, so a crash replays just the records in flight (plus those completed since the
 * last commit). Metadata is trusted by the next owner only when it is about the log it reads ({@link Resume}).
 *
 * <p><b>Rebalances.</b> On revoke, what is complete is committed synchronously and records still waiting are dropped
 * (the new owner reads them); lost partitions (fenced, the group moved on) are forgotten without a commit, which
 * could overwrite the new owner's. Jobs of revoked partitions that are already running are not interrupted: they
 * finish and publish, and the new owner, which starts from the committed offset, runs them again: duplicates by job
 * ID, which consumers of the output topics must tolerate anyway (at-least-once). Their completions are not applied to
 * a later owner's bookkeeping of the same partition.
 *
 * <p><b>Shutdown</b> is bounded: in-flight jobs get the grace period (from the {@link #stop} call), then a final
 * synchronous commit of at most {@link #COMMIT_TIMEOUT} and a consumer close of at most {@link #CLOSE_TIMEOUT}, even
 * with Kafka unreachable.
 *
 * <p>Thread-safety: {@link #stop} and {@link #inFlight} may be called from any thread; everything else runs on the poll
 * thread.
 */
public final class ConsumerGroupIntake implements Intake {
    /** Bound of a synchronous commit (revoke, shutdown). */
    static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(2);
    /** Bound of the consumer's close at shutdown (leaving the group). */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    /** Bound of each lookup on assignment (committed offsets, position, topic ID). */
    static final Duration ASSIGN_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupIntake.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final Duration BUSY_POLL = Duration.ofMillis(5);

    private record Completion(OffsetTracker tracker, long offset, Disposition disposition) {
    }

    private record Waiting(ConsumerRecord<byte[], byte[]> record, OffsetTracker tracker) {
        TopicPartition partition() {
            return new TopicPartition(record.topic(), record.partition());
        }
    }

    private final Consumer<byte[], byte[]> consumer;
    private final JobPipeline pipeline;
    private final List<String> topics;
    private final String groupId;
    private final TopicIds topicIds;
    private final InFlightBudget budget;
    private final Duration commitInterval;
    private final Clock clock;

    private final Map<TopicPartition, OffsetTracker> trackers = new HashMap<>();
    private final WaitingQueues<Waiting> waiting;
    private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running;
    private volatile boolean polling;
    private volatile Instant stopDeadline = Instant.MAX;
    private boolean closing;
    private final Map<String, Uuid> topicIdsByName = new HashMap<>();
    private Instant lastCommit = Instant.EPOCH;
    private Thread pollThread;

    /** One request topic. */
    public ConsumerGroupIntake(Consumer<byte[], byte[]> consumer, JobPipeline pipeline, String topic, String groupId,
                               IntakeLimits limits, TopicIds topicIds, Clock clock) {
        this(consumer, pipeline, Map.of(Objects.requireNonNull(topic, "topic"), 1), groupId, limits, topicIds, clock);
    }

    /**
     * @param topics the request topics and their weights (each &ge; 1), in configuration order
     */
    public ConsumerGroupIntake(Consumer<byte[], byte[]> consumer, JobPipeline pipeline, Map<String, Integer> topics,
                               String groupId, IntakeLimits limits, TopicIds topicIds, Clock clock) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        WeightedTopics weights = new WeightedTopics(topics);
        this.topics = weights.topics();
        this.waiting = new WaitingQueues<>(weights);
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        this.topicIds = Objects.requireNonNull(topicIds, "topicIds");
        this.budget = limits.newBudget();
        this.commitInterval = limits.commitInterval();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void start() {
        running = true;
        pollThread = Thread.ofPlatform().name("intake-" + String.join(",", topics)).start(this::pollLoop);
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
            consumer.subscribe(topics, new GroupRebalance(this));
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
        if (tracker == null || !running) {
            return;
        }
        if (!tracker.follows(record.offset())) {
            // The position went back under us (an out-of-range reset, a truncation): what was tracked and inherited
            // is about records no longer there. Start over; completions of the old records are ignored.
            LOG.warn("{} went back to offset {}: replaying from there, completed offsets beyond it forgotten", tp,
                    record.offset());
            OffsetTracker old = tracker;
            waiting.removeIf(w -> w.tracker() == old);
            tracker = new OffsetTracker(-1, OffsetRanges.empty(), null);
            trackers.put(tp, tracker);
        }
        if (tracker.delivered(record.offset(), record.leaderEpoch())) {
            LOG.debug("Skipping {}@{}: completed by an earlier owner", tp, record.offset());
            return;
        }
        waiting.add(record.topic(), new Waiting(record, tracker));
    }

    /** Starts waiting records while the budget has room, the next one chosen across topics by weight. */
    private void startWaiting() {
        for (String next = waiting.next(); next != null; next = waiting.next()) {
            long size = InFlightBudget.sizeOf(waiting.head(next).record());
            if (!budget.tryAcquire(size)) {
                return; // the weighted choice is made again when room frees: nothing was counted
            }
            Waiting w = waiting.started(next);
            long offset = w.record().offset();
            pipeline.submit(new RequestRecord(w.record(), groupId, clock.instant()))
                    .thenAccept(disposition -> {
                        budget.release(size);
                        completions.add(new Completion(w.tracker(), offset, disposition));
                    });
        }
    }

    /** Pauses the partitions of each topic with records waiting, resumes the others. */
    private void applyBackpressure() {
        Set<TopicPartition> paused = consumer.paused();
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        for (TopicPartition tp : consumer.assignment()) {
            if (!waiting.isEmpty(tp.topic())) {
                if (!paused.contains(tp)) {
                    pause.add(tp);
                }
            } else if (paused.contains(tp)) {
                resume.add(tp);
            }
        }
        if (!pause.isEmpty()) {
            consumer.pause(pause);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
    }

    private void drainCompletions() {
        Completion c;
        while ((c = completions.poll()) != null) {
            // a tracker no longer in use (partition revoked, position reset) ignores it: its commit is never made
            if (c.disposition() != Disposition.ABANDON) {
                c.tracker().completed(c.offset());
            }
        }
    }

    private void commitIfDue(boolean now) {
        Instant t = clock.instant();
        if (!now && Duration.between(lastCommit, t).compareTo(commitInterval) < 0) {
            return;
        }
        lastCommit = t;
        Map<TopicPartition, Proposal> proposals = proposals(trackers.keySet());
        if (proposals.isEmpty()) {
            return;
        }
        consumer.commitAsync(toKafka(proposals), (offsets, error) -> {
            if (error != null) {
                LOG.warn("Offset commit failed (retried with the next one): {}", error.toString());
                return;
            }
            proposals.values().forEach(Proposal::acknowledged);
        });
    }

    private record Proposal(OffsetTracker tracker, OffsetTracker.Commit commit) {
        void acknowledged() {
            tracker.committed(commit);
        }
    }

    private Map<TopicPartition, Proposal> proposals(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Proposal> proposals = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetTracker tracker = trackers.get(tp);
            if (tracker != null) {
                tracker.due(topicIdsByName.get(tp.topic()))
                        .ifPresent(c -> proposals.put(tp, new Proposal(tracker, c)));
            }
        }
        return proposals;
    }

    private static Map<TopicPartition, OffsetAndMetadata> toKafka(Map<TopicPartition, Proposal> proposals) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        proposals.forEach((tp, p) -> offsets.put(tp, p.commit().toKafka()));
        return offsets;
    }

    /** Commits what is complete in {@code partitions}, waiting at most {@link #COMMIT_TIMEOUT}. */
    void commitSync(Collection<TopicPartition> partitions) {
        drainCompletions();
        Map<TopicPartition, Proposal> proposals = proposals(partitions);
        if (proposals.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(toKafka(proposals), COMMIT_TIMEOUT);
            proposals.values().forEach(Proposal::acknowledged);
        } catch (RuntimeException e) {
            LOG.warn("Synchronous offset commit failed; the records will be replayed: {}", e.toString());
        }
    }

    /** Shutdown: no new jobs; keep polling (paused) while in-flight jobs finish within the grace period. */
    private void drain() {
        waiting.clear();
        consumer.pause(consumer.assignment());
        while (inFlight() > 0 && clock.instant().isBefore(stopDeadline)) {
            consumer.poll(BUSY_POLL.multipliedBy(10));
            drainCompletions();
            commitIfDue(false);
        }
        pipeline.close(Duration.ZERO);
        commitSync(new HashSet<>(trackers.keySet()));
        closing = true; // the revoke on close commits nothing more: the final commit just ran, within its bound
    }

    private void closeConsumer() {
        closing = true;
        try {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        } catch (RuntimeException e) {
            LOG.warn("Closing the consumer failed: {}", e.toString());
        }
    }

    @Override
    public void stop(Duration gracePeriod) {
        stopDeadline = clock.instant().plus(gracePeriod);
        running = false;
        try {
            Duration bound = gracePeriod.plus(COMMIT_TIMEOUT).plus(CLOSE_TIMEOUT).plusSeconds(2);
            if (pollThread != null && !stopped.await(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Intake did not stop within {}", bound);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- for GroupRebalance, on the poll thread ---

    Consumer<byte[], byte[]> consumer() {
        return consumer;
    }

    List<String> topics() {
        return topics;
    }

    TopicIds topicIds() {
        return topicIds;
    }

    boolean shuttingDown() {
        return !running;
    }

    boolean closing() {
        return closing;
    }

    /** The ID of {@code topic} as of its last assignment, or null when unknown. */
    void topicId(String topic, Uuid id) {
        topicIdsByName.put(topic, id);
    }

    void track(TopicPartition tp, OffsetTracker tracker) {
        trackers.put(tp, tracker);
    }

    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(trackers::remove);
        waiting.removeIf(w -> partitions.contains(w.partition()));
    }
}
