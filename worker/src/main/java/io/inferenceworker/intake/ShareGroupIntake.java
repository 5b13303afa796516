package io.inferenceworker.intake;

import io.inferenceworker.intake.ShareLane.Held;
import io.inferenceworker.intake.ShareLane.Key;
import io.inferenceworker.job.Disposition;
import io.inferenceworker.job.JobPipeline;
import io.inferenceworker.job.RequestRecord;
import io.inferenceworker.publish.DeadLetters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Share-group intake (KIP-932, Kafka 4.2+ brokers): workers beyond the partition count all get work, because the
 * broker hands out records, not partitions.
 *
 * <p><b>Lanes.</b> The worker holds several share consumers ({@link ShareLane}, {@code worker.share-lanes}), each
 * handing out batches of at most {@code ceil(in-flight-limit / lanes)} records, so the batches together hold at most
 * the in-flight limit (a lane reading several partitions may hold more records in its client, see
 * {@link ShareLane}); a job starts only once the in-flight budget ({@link InFlightBudget}: jobs and bytes) has room
 * for it, and records that wait for it keep their locks. One poll thread serves every lane; jobs run on virtual threads.
 *
 * <p><b>Several request topics</b> ({@code topics.request-priorities}): each topic has its own lanes, as many as one
 * topic would, so a topic alone can fill the in-flight limit. When records of several topics wait for the budget, the
 * next to start is chosen across the topics by their weights, and a topic holds at most its weighted share of the
 * limit while the others are backlogged ({@link ShareTopics}); within a topic, lane by lane, oldest first. Under
 * contention each topic's lanes still hold their batches (locks renewed as usual): up to the in-flight limit per
 * topic may be acquired.
 *
 * <p><b>Acknowledgement</b> is explicit and exactly once per delivery: ACCEPT once every output of a job is
 * acknowledged by Kafka (SUCCEEDED, EXPIRED), REJECT once its dead letter is (FAILED, INVALID, undecodable), RELEASE
 * only for work given back at shutdown. A record redelivered to this worker while its job still runs (a lost lock)
 * joins the running job instead of starting a second one, and one whose job already finished here is acknowledged
 * again without running.
 *
 * <p><b>Delivery limit.</b> A record delivered for the last time ({@code share.delivery.count.limit} of the group,
 * read at start) that would be given back instead is dead-lettered at stage {@code delivery_limit} and rejected, so
 * the broker never archives it silently.
 *
 * <p><b>Shutdown</b> takes no new record: records not started are released at once (dead-lettered at their last
 * delivery), running jobs get the grace period, every finished job is acknowledged and the acknowledgements
 * committed before the consumers close; a job still running after the grace period is interrupted and its record
 * released, which spends one delivery.
 *
 * <p>Thread-safety: {@link #stop}, {@link #inFlight} and {@link #isRunning} may be called from any thread; the
 * consumers are confined to the poll thread.
 */
public final class ShareGroupIntake implements Intake {
    private static final Logger LOG = LoggerFactory.getLogger(ShareGroupIntake.class);
    private static final Duration BUSY_WAIT = Duration.ofMillis(5);
    private static final Duration IDLE_WAIT = Duration.ofMillis(50);
    private static final Duration RENEW_TIMEOUT = Duration.ofSeconds(5);
    /** After the grace period: time for the final acknowledgements and for closing the consumers (in parallel). */
    private static final Duration CLOSE_BUDGET = Duration.ofSeconds(4);
    /** The lanes' {@code fetch.max.wait.ms} (Kafka's default), set by {@link IntakeFactory} and not overridable. */
    static final Duration FETCH_MAX_WAIT = Duration.ofMillis(500);
    /** The longest a share fetch waits at the broker for records: {@link #FETCH_MAX_WAIT} plus the round trip. */
    static final Duration BROKER_FETCH_WAIT = FETCH_MAX_WAIT.plusMillis(200);
    /** After the grace period: time for the dead letters of interrupted jobs at their last delivery. */
    private static final Duration LAST_DEAD_LETTERS = Duration.ofSeconds(2);

    /** What trying to start a held record did. */
    private enum Start {
        /** Its job started and took a slot of the budget. */
        STARTED,
        /** Settled without a new job (joins the running one, or acknowledged again): no slot taken. */
        SETTLED,
        /** The budget is full: the record waits. */
        BUDGET_FULL
    }

    private record Completion(Key key, ConsumerRecord<byte[], byte[]> record, Disposition disposition,
                              boolean lastDelivery) {
    }

    private final List<ShareLane> lanes;
    private final ShareTopics topics;
    private final JobPipeline pipeline;
    private final String groupId;
    private final InFlightBudget budget;
    private final Duration commitInterval;
    private final IntSupplier deliveryLimitLookup;
    private final Clock clock;
    private final Set<Key> running = new HashSet<>();
    private final RecentlyFinished finished;
    private final LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean accepting;
    private volatile boolean polling;
    private volatile Duration grace = Duration.ZERO;
    private int deliveryLimit = Integer.MAX_VALUE;
    private Instant lastFlush = Instant.EPOCH;
    private Thread pollThread;

    /**
     * One request topic.
     *
     * @param lanes               the lanes, each with its own share consumer (see {@link ShareLane})
     * @param deliveryLimitLookup reads the group's {@code share.delivery.count.limit}; called once, on the poll thread
     */
    public ShareGroupIntake(List<ShareLane> lanes, JobPipeline pipeline, String topic, String groupId,
                            IntakeLimits limits, IntSupplier deliveryLimitLookup, Clock clock) {
        this(Map.of(Objects.requireNonNull(topic, "topic"), lanes), Map.of(topic, 1), pipeline, groupId, limits,
                deliveryLimitLookup, clock);
    }

    /**
     * @param lanesByTopic        each request topic's lanes, each lane with its own share consumer ({@link ShareLane})
     * @param weights             the request topics and their weights (each &ge; 1), in configuration order
     * @param deliveryLimitLookup reads the group's {@code share.delivery.count.limit}; called once, on the poll thread
     */
    public ShareGroupIntake(Map<String, List<ShareLane>> lanesByTopic, Map<String, Integer> weights,
                            JobPipeline pipeline, String groupId, IntakeLimits limits,
                            IntSupplier deliveryLimitLookup, Clock clock) {
        this.topics = new ShareTopics(lanesByTopic, weights, limits.inFlightLimit(), BROKER_FETCH_WAIT);
        this.lanes = topics.lanes();
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        this.budget = limits.newBudget();
        this.commitInterval = limits.commitInterval();
        this.deliveryLimitLookup = Objects.requireNonNull(deliveryLimitLookup, "deliveryLimitLookup");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.finished = new RecentlyFinished(Math.max(1_024, 4 * limits.inFlightLimit()));
    }

    @Override
    public void start() {
        accepting = true;
        pollThread = Thread.ofPlatform().name("share-intake-" + String.join(",", topics.topics())).start(this::pollLoop);
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
            for (ShareLane lane : lanes) {
                lane.subscribe(topics.topicOf(lane), (offsets, error) -> {
                    if (error != null) {
                        // Kafka's share client fails, on its side, the acknowledgements of a partition that left this
                        // lane's share session in a reassignment (NotLeaderOrFollowerException; any worker starting or
                        // stopping reassigns): the broker delivers those records again when their lock expires, and
                        // their jobs may run again elsewhere. Measured in the fault suite (13 of 3,000 in one run).
                        LOG.warn("Share acknowledgement failed for {}: {} (these records will be delivered again when "
                                + "their lock expires)", offsets, error.toString());
                    } else {
                        LOG.debug("Share acknowledgement done for {}", offsets);
                    }
                });
            }
            deliveryLimit = deliveryLimitLookup.getAsInt();
            LOG.info("Share intake: {} lane(s), delivery count limit {}", lanes.size(), deliveryLimit);
            while (accepting) {
                polling = true;
                settleCompletions();
                pollEmptyLanes();
                renewDueLanes(); // before starting: a batch that waited in the client may need it at once
                startWaiting();
                flushIfDue();
                awaitCompletion(lanes.stream().anyMatch(ShareLane::isEmpty) ? BUSY_WAIT : IDLE_WAIT);
            }
            drain();
        } catch (RuntimeException e) {
            LOG.error("Share intake poll loop failed; stopping intake", e);
        } finally {
            polling = false;
            closeLanes(lanes);
            stopped.countDown();
        }
    }

    private void pollEmptyLanes() {
        Instant now = clock.instant();
        for (ShareLane lane : lanes) {
            if (lane.isEmpty()) {
                lane.poll(now);
            }
        }
    }

    /** Starts held records while the budget allows, the next one chosen by {@link ShareTopics} (weights). */
    private void startWaiting() {
        Instant now = clock.instant();
        for (ShareLane lane = topics.next(now); lane != null; lane = topics.next(now)) {
            switch (start(lane, lane.nextNotStarted())) {
                case STARTED -> topics.started(lane);
                case SETTLED -> { }
                case BUDGET_FULL -> {
                    return;
                }
            }
        }
    }

    private void markRunning(Key key) {
        if (running.add(key)) {
            topics.running(key.topic());
        }
    }

    private void markDone(Key key) {
        if (running.remove(key)) {
            topics.ended(key.topic());
        }
    }

    private Start start(ShareLane lane, Held held) {
        ConsumerRecord<byte[], byte[]> record = held.record();
        Key key = held.key();
        if (running.contains(key)) {
            held.markStarted(); // redelivered while its job runs here: the running job acknowledges it
            return Start.SETTLED;
        }
        Disposition earlier = finished.get(key);
        if (earlier != null) {
            LOG.info("{} redelivered after its job finished here ({}): acknowledged again, not run", key, earlier);
            lane.acknowledge(key, acknowledgeType(earlier));
            return Start.SETTLED;
        }
        long size = InFlightBudget.sizeOf(record);
        if (!budget.tryAcquire(size)) {
            return Start.BUDGET_FULL;
        }
        held.markStarted();
        boolean lastDelivery = record.deliveryCount().orElse((short) 1) >= deliveryLimit;
        markRunning(key);
        pipeline.submit(new RequestRecord(record, groupId, clock.instant())).thenAccept(d -> {
            budget.release(size);
            completions.add(new Completion(key, record, d, lastDelivery));
        });
        return Start.STARTED;
    }

    private void settleCompletions() {
        for (Completion c = completions.poll(); c != null; c = completions.poll()) {
            settle(c);
        }
    }

    private void settle(Completion c) {
        if (c.disposition() == Disposition.ABANDON && c.lastDelivery()) {
            LOG.warn("{} was abandoned at its last delivery ({}): dead-lettering it", c.key(), deliveryLimit);
            pipeline.deadLetter(new RequestRecord(c.record(), groupId, clock.instant()), deliveryLimitReason(c.record()))
                    .thenAccept(d -> completions.add(new Completion(c.key(), c.record(), d, false)));
            return; // still running: the dead letter's completion acknowledges the record
        }
        markDone(c.key());
        if (c.disposition() != Disposition.ABANDON) {
            finished.put(c.key(), c.disposition());
        }
        ShareLane holder = holderOf(c.key());
        if (holder == null || !holder.acknowledge(c.key(), acknowledgeType(c.disposition()))) {
            LOG.warn("{} finished ({}) after its acquisition lock was lost; if it was redelivered elsewhere it runs "
                    + "again there", c.key(), c.disposition());
        }
    }

    private DeadLetters.Reason deliveryLimitReason(ConsumerRecord<byte[], byte[]> record) {
        return DeadLetters.Reason.of(DeadLetters.Stage.DELIVERY_LIMIT, "DeliveryLimitReached",
                "delivery " + record.deliveryCount().orElse((short) -1) + " of " + deliveryLimit
                        + " did not finish; the broker would archive the record", "delivery_limit");
    }

    private ShareLane holderOf(Key key) {
        for (ShareLane lane : lanes) {
            if (lane.holds(key)) {
                return lane;
            }
        }
        return null;
    }

    private void renewDueLanes() {
        Instant now = clock.instant();
        for (ShareLane lane : lanes) {
            if (!now.isBefore(lane.renewalDue())) {
                for (Held lost : lane.renew(now, RENEW_TIMEOUT)) {
                    if (lost.started()) {
                        LOG.warn("Lost the acquisition lock of {} while its job runs", lost.key());
                    }
                }
            }
        }
    }

    private void flushIfDue() {
        Instant now = clock.instant();
        if (Duration.between(lastFlush, now).compareTo(commitInterval) >= 0) {
            lastFlush = now;
            lanes.forEach(ShareLane::flush);
        }
    }

    private void awaitCompletion(Duration max) {
        try {
            Completion c = completions.poll(max.toMillis(), TimeUnit.MILLISECONDS);
            if (c != null) {
                settle(c);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            accepting = false;
        }
    }

    /** Shutdown: give back what has not started, let running jobs finish within the grace period, acknowledge. */
    private void drain() {
        Instant until = clock.instant().plus(grace);
        // Lanes holding nothing may still have a fetch waiting at the broker, which would acquire the records given
        // back below and, when the lane closes, return them with one more delivery spent (the broker does not count
        // back deliveries it made to a consumer that never saw them): at a share.delivery.count.limit of 5 a record
        // would be archived after two graceful restarts. So those lanes close first.
        closeLanes(lanes.stream().filter(ShareLane::isEmpty).toList());
        // Closing does not withdraw a fetch the broker already holds (it waits up to fetch.max.wait.ms for records):
        // nothing is given back before such fetches have expired.
        Instant releaseFrom = clock.instant().plus(BROKER_FETCH_WAIT);
        settleUntil(releaseFrom);
        for (ShareLane lane : lanes) {
            for (Held held = lane.nextNotStarted(); held != null; held = lane.nextNotStarted()) {
                ConsumerRecord<byte[], byte[]> record = held.record();
                Key key = held.key();
                held.markStarted(); // not to be started any more; one already running here acknowledges itself
                if (running.contains(key)) {
                    continue;
                }
                if (record.deliveryCount().orElse((short) 1) >= deliveryLimit) {
                    markRunning(key);
                    pipeline.deadLetter(new RequestRecord(record, groupId, clock.instant()),
                            deliveryLimitReason(record)).thenAccept(d -> completions.add(
                            new Completion(key, record, d, false)));
                } else {
                    lane.acknowledge(key, AcknowledgeType.RELEASE);
                }
            }
        }
        lanes.forEach(ShareLane::flush);
        while (!running.isEmpty() && clock.instant().isBefore(until)) {
            settleCompletions();
            renewDueLanes();
            flushIfDue();
            awaitCompletion(IDLE_WAIT);
        }
        if (!running.isEmpty()) {
            LOG.info("{} job(s) still running after the grace period are interrupted and their records released",
                    running.size());
        }
        pipeline.close(Duration.ZERO); // returns once interrupted jobs have ended (ABANDON), at most a few seconds
        // Interrupted jobs at their last delivery are dead-lettered rather than released: wait for those, briefly.
        Instant deadLettersBy = clock.instant().plus(LAST_DEAD_LETTERS);
        do {
            settleCompletions();
            awaitCompletion(BUSY_WAIT);
        } while (!running.isEmpty() && clock.instant().isBefore(deadLettersBy));
    }

    /** Settles completions (finished jobs are acknowledged, none released) until {@code instant}. */
    private void settleUntil(Instant instant) {
        while (clock.instant().isBefore(instant)) {
            settleCompletions();
            awaitCompletion(BUSY_WAIT);
        }
    }

    /** Sends the last acknowledgements and closes the lanes, in parallel, within {@link #CLOSE_BUDGET}. */
    private void closeLanes(List<ShareLane> toClose) {
        List<Thread> closing = toClose.stream().map(lane -> Thread.ofVirtual().name("close-" + lane.name()).start(() -> {
            lane.flushSync(CLOSE_BUDGET.dividedBy(2));
            lane.close(CLOSE_BUDGET.dividedBy(2));
        })).toList();
        Instant until = clock.instant().plus(CLOSE_BUDGET).plusSeconds(1);
        try {
            for (Thread t : closing) {
                long left = Duration.between(clock.instant(), until).toMillis();
                if (left <= 0 || !t.join(Duration.ofMillis(left))) {
                    LOG.warn("Closing the share consumers did not finish in time");
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static AcknowledgeType acknowledgeType(Disposition disposition) {
        return switch (disposition) {
            case DONE -> AcknowledgeType.ACCEPT;
            case DEAD_LETTERED -> AcknowledgeType.REJECT;
            case ABANDON -> AcknowledgeType.RELEASE;
        };
    }

    @Override
    public void stop(Duration gracePeriod) {
        this.grace = gracePeriod;
        accepting = false;
        try {
            if (pollThread != null
                    && !stopped.await(gracePeriod.plus(CLOSE_BUDGET).plus(LAST_DEAD_LETTERS).plusSeconds(6).toMillis(),
                    TimeUnit.MILLISECONDS)) {
                LOG.warn("Share intake did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
