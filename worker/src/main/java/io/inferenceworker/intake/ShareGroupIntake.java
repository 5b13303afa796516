package io.inferenceworker.intake;

import io.inferenceworker.job.Disposition;
import io.inferenceworker.job.JobPipeline;
import io.inferenceworker.job.RequestRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Share-group intake (KIP-932, Kafka 4.2+ brokers): workers beyond the partition count all get work, because the
 * broker hands out records, not partitions.
 *
 * <p>Acknowledgement is explicit: ACCEPT once every output of a job is acknowledged by Kafka (SUCCEEDED, EXPIRED),
 * REJECT once its dead letter is (FAILED, INVALID, undecodable), RELEASE for work abandoned at shutdown. A record the
 * worker keeps failing on without being able to dead-letter it is bounded by the broker's delivery count limit
 * ({@code group.share.delivery.count.limit}).
 *
 * <p>The share consumer requires every record of a poll to be acknowledged before the next poll. Records still being
 * processed are acknowledged with RENEW, which extends their acquisition lock and hands them back in the next poll, so
 * jobs longer than the lock ({@code group.share.record.lock.duration.ms}) keep their records. A round lasts until all
 * its records finished, or at most half the lock duration, or {@link #MIN_ROUND} when there is room for more jobs.
 *
 * <p>Thread-safety as {@link ConsumerGroupIntake}: the consumer is confined to the poll thread.
 */
public final class ShareGroupIntake implements Intake {
    static final Duration MIN_ROUND = Duration.ofMillis(200);
    private static final Logger LOG = LoggerFactory.getLogger(ShareGroupIntake.class);
    private static final Duration DEFAULT_LOCK = Duration.ofSeconds(30);

    private record Key(String topic, int partition, long offset) {
        static Key of(ConsumerRecord<?, ?> r) {
            return new Key(r.topic(), r.partition(), r.offset());
        }
    }

    private record Completion(Key key, Disposition disposition) {
    }

    private final ShareConsumer<byte[], byte[]> consumer;
    private final JobPipeline pipeline;
    private final String topic;
    private final String groupId;
    private final InFlightBudget budget;
    private final Clock clock;
    private final Set<Key> running = new HashSet<>();
    private final Map<Key, Disposition> finishedAwaitingDelivery = new HashMap<>();
    private final LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean accepting;
    private volatile boolean polling;
    private volatile Duration grace = Duration.ZERO;
    private Thread pollThread;

    public ShareGroupIntake(ShareConsumer<byte[], byte[]> consumer, JobPipeline pipeline, String topic,
                            String groupId, IntakeLimits limits, Clock clock) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        this.budget = limits.newBudget();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void start() {
        accepting = true;
        pollThread = Thread.ofPlatform().name("share-intake-" + topic).start(this::pollLoop);
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
            consumer.subscribe(List.of(topic));
            consumer.setAcknowledgementCommitCallback((offsets, error) -> {
                if (error != null) {
                    LOG.warn("Share acknowledgement failed for {} record(s): {}", offsets.size(), error.toString());
                }
            });
            Instant drainUntil = null;
            while (true) {
                if (!accepting && drainUntil == null) {
                    drainUntil = clock.instant().plus(grace);
                }
                if (drainUntil != null && (budget.jobs() == 0 || clock.instant().isAfter(drainUntil))) {
                    break;
                }
                polling = true;
                Map<Key, ConsumerRecord<byte[], byte[]>> unacknowledged = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    onDelivered(record, unacknowledged);
                }
                awaitRound(unacknowledged);
                renew(unacknowledged);
            }
            pipeline.close(Duration.ZERO);
            settleAbandoned();
        } catch (RuntimeException e) {
            LOG.error("Share intake poll loop failed; stopping intake", e);
        } finally {
            polling = false;
            try {
                consumer.close(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                LOG.warn("Closing the share consumer failed: {}", e.toString());
            }
            stopped.countDown();
        }
    }

    private void onDelivered(ConsumerRecord<byte[], byte[]> record,
                             Map<Key, ConsumerRecord<byte[], byte[]>> unacknowledged) {
        Key key = Key.of(record);
        if (LOG.isDebugEnabled()) {
            LOG.debug("delivered {} (delivery {}, running {})", key, record.deliveryCount().orElse((short) -1),
                    running.contains(key));
        }
        Disposition finished = finishedAwaitingDelivery.remove(key);
        if (finished != null) {
            acknowledge(record, finished);
        } else if (running.contains(key)) {
            unacknowledged.put(key, record);
        } else if (!accepting) {
            consumer.acknowledge(record, AcknowledgeType.RELEASE);
        } else {
            running.add(key);
            unacknowledged.put(key, record);
            long size = InFlightBudget.sizeOf(record);
            budget.acquire(size);
            pipeline.submit(new RequestRecord(record, groupId, clock.instant()))
                    .thenAccept(d -> {
                        budget.release(size);
                        completions.add(new Completion(key, d));
                    });
        }
    }

    /** Acknowledges jobs as they finish, until the round's records are all done or the round's time is up. */
    private void awaitRound(Map<Key, ConsumerRecord<byte[], byte[]>> unacknowledged) {
        Duration lock = consumer.acquisitionLockTimeoutMs().map(Duration::ofMillis).orElse(DEFAULT_LOCK);
        Instant start = clock.instant();
        Instant renewBy = start.plus(lock.dividedBy(2));
        try {
            while (!unacknowledged.isEmpty()) {
                Completion c = completions.poll(20, TimeUnit.MILLISECONDS);
                for (; c != null; c = completions.poll()) {
                    settle(c, unacknowledged);
                }
                Instant now = clock.instant();
                boolean roomForMore = accepting && budget.hasRoom();
                if (now.isAfter(renewBy) || (roomForMore && now.isAfter(start.plus(MIN_ROUND)))
                        || (!accepting && now.isAfter(start.plus(MIN_ROUND)))) {
                    return;
                }
            }
            for (Completion c = completions.poll(); c != null; c = completions.poll()) {
                settle(c, unacknowledged);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void settle(Completion c, Map<Key, ConsumerRecord<byte[], byte[]>> unacknowledged) {
        running.remove(c.key());
        ConsumerRecord<byte[], byte[]> record = unacknowledged.remove(c.key());
        if (record != null) {
            acknowledge(record, c.disposition());
        } else {
            // Renewed in an earlier round and not handed back yet: acknowledge when it is.
            finishedAwaitingDelivery.put(c.key(), c.disposition());
        }
    }

    private void renew(Map<Key, ConsumerRecord<byte[], byte[]>> unacknowledged) {
        // Only records of the last poll can be acknowledged, and only through the record itself: the
        // (topic, partition, offset) overload is reserved for records that failed to deserialize.
        for (ConsumerRecord<byte[], byte[]> record : unacknowledged.values()) {
            consumer.acknowledge(record, AcknowledgeType.RENEW);
        }
        if (!unacknowledged.isEmpty()) {
            LOG.debug("renewed {} record(s); lock {} ms", unacknowledged.size(), consumer.acquisitionLockTimeoutMs());
        }
    }

    private void acknowledge(ConsumerRecord<byte[], byte[]> record, Disposition disposition) {
        AcknowledgeType type = switch (disposition) {
            case DONE -> AcknowledgeType.ACCEPT;
            case DEAD_LETTERED -> AcknowledgeType.REJECT;
            case ABANDON -> AcknowledgeType.RELEASE;
        };
        consumer.acknowledge(record, type);
    }

    /** After the grace period: whatever was interrupted is released by closing the consumer. */
    private void settleAbandoned() {
        try {
            consumer.commitSync(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            LOG.warn("Final share acknowledgement commit failed: {}", e.toString());
        }
        if (!running.isEmpty()) {
            LOG.info("{} record(s) still acquired at shutdown are released for redelivery", running.size());
        }
    }

    @Override
    public void stop(Duration gracePeriod) {
        this.grace = gracePeriod;
        accepting = false;
        try {
            if (pollThread != null && !stopped.await(gracePeriod.toMillis() + 30_000, TimeUnit.MILLISECONDS)) {
                LOG.warn("Share intake did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
