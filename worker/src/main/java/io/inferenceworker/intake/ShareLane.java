package io.inferenceworker.intake;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One share consumer and the batch of records it holds: the unit in which a share group hands out work.
 *
 * <p>Why lanes: in explicit acknowledgement mode the KIP-932 client requires every record of a poll to be acknowledged
 * before the next poll, and records acknowledged with {@link AcknowledgeType#RENEW} come back in the next poll
 * <em>instead of</em> new records (Kafka 4.3 {@code ShareConsumerImpl.collect}: new fetches are collected only once
 * the current fetch is empty and has no renewals). So one consumer can only work batch by batch: a new batch
 * starts when the slowest record of the last one is done. Several lanes, each handing out batches of at most
 * {@code ceil(in-flight-limit / lanes)} records ({@code share.acquire.mode=record_limit} makes
 * {@code max.poll.records} a strict bound on what a poll returns), keep the worker busy while each waits for its
 * slowest job.
 *
 * <p><b>Records waiting in the client.</b> A fetch acquires up to {@code max.poll.records} from <em>each</em>
 * partition the lane reads, and a poll hands out one batch: the rest waits in the client, its locks running, and is
 * handed out by the next polls without a new fetch (measured with Kafka 4.3.1: one fetch over 4 partitions acquired
 * 32 records for batches of 8). So a batch's locks are counted from the poll that sent the fetch, not from when the
 * batch was handed out: a batch that waited in the client for half a lock or more is renewed before its jobs start,
 * and records whose lock already ended are dropped (the broker hands them out again) instead of being run twice.
 *
 * <p>A lane polls only when its batch is empty. Records of the batch are acknowledged one by one as their jobs end
 * (the acknowledgements travel with the next poll or {@link #flush}). When a batch is held for half the acquisition
 * lock, its unfinished records are renewed: RENEW, then {@code commitSync} (which also applies the renewals in the
 * client), then {@code poll(0)}, which hands exactly the renewed records back without fetching new ones. Renewing
 * through {@code commitSync} rather than {@code poll} matters: a poll made while renewals are still outstanding
 * sends a fetch, and the records it acquires wait in the client's buffer, unseen, until the renewals end — longer
 * than their lock if a job is long — and are then run although the broker already gave them to someone else.
 *
 * <p><b>Backlog.</b> A lane whose last batch was full ({@code max.poll.records}) tells the intake its topic likely has
 * more ({@link #backlogged}), so that with several request topics the topic's weighted share of the in-flight limit is
 * kept for it between two of its batches ({@link ShareTopics}).
 *
 * <p>Not thread-safe: confined to the share intake's poll thread.
 */
final class ShareLane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShareLane.class);
    private static final Duration MIN_LOCK = Duration.ofSeconds(1);

    /** A record's place in a topic; share groups hand out records, so this is the unit of work. */
    record Key(String topic, int partition, long offset) {
        static Key of(ConsumerRecord<?, ?> r) {
            return new Key(r.topic(), r.partition(), r.offset());
        }

        @Override
        public String toString() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    /** An acquired record: its job may not have started yet (the in-flight budget was full). */
    static final class Held {
        private final Key key;
        /** Replaced by the renewed delivery at a renewal: the same place, so the same {@link #key}. */
        private ConsumerRecord<byte[], byte[]> record;
        private boolean started;

        Held(ConsumerRecord<byte[], byte[]> record) {
            this.key = Key.of(record);
            this.record = record;
        }

        Key key() {
            return key;
        }

        ConsumerRecord<byte[], byte[]> record() {
            return record;
        }

        boolean started() {
            return started;
        }

        void markStarted() {
            started = true;
        }
    }

    private final String name;
    private final ShareConsumer<byte[], byte[]> consumer;
    private final Duration defaultLock;
    private final int batchSize;
    private final Map<Key, Held> batch = new LinkedHashMap<>();
    /** The batch's records in arrival order, for {@link #nextNotStarted()}; those started or gone are skipped lazily. */
    private final ArrayDeque<Held> arrivals = new ArrayDeque<>();
    private Instant lockedAt = Instant.MAX;
    /** The first empty poll since the last fetch answered: the records a fetch brings were acquired after it. */
    private Instant fetchSentAt;
    private boolean fetchPending;
    /** The last batch was as large as a batch can be: the topic likely has more (see {@link #backlogged}). */
    private boolean lastBatchFull;
    private boolean acknowledged;
    private boolean closed;

    /** A lane that never reports a backlog ({@link #backlogged}): enough with one request topic. */
    ShareLane(String name, ShareConsumer<byte[], byte[]> consumer, Duration defaultLock) {
        this(name, consumer, defaultLock, Integer.MAX_VALUE);
    }

    /** @param batchSize the consumer's {@code max.poll.records}: a batch of that size says the topic has more */
    ShareLane(String name, ShareConsumer<byte[], byte[]> consumer, Duration defaultLock, int batchSize) {
        this.name = Objects.requireNonNull(name, "name");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.defaultLock = Objects.requireNonNull(defaultLock, "defaultLock");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
        }
        this.batchSize = batchSize;
    }

    String name() {
        return name;
    }

    void subscribe(String topic, org.apache.kafka.clients.consumer.AcknowledgementCommitCallback callback) {
        consumer.subscribe(List.of(topic));
        consumer.setAcknowledgementCommitCallback(callback);
    }

    /** True when every record of the last batch is acknowledged: only then may the lane poll. */
    boolean isEmpty() {
        return batch.isEmpty();
    }

    /**
     * The oldest record of the batch whose job has not started, or null. The caller starts it ({@link Held#markStarted})
     * or acknowledges it before asking again. Constant time: the intake asks on every turn of its loop.
     */
    Held nextNotStarted() {
        for (Held head = arrivals.peek(); head != null; head = arrivals.peek()) {
            if (!head.started && batch.get(head.key) == head) {
                return head;
            }
            arrivals.poll();
        }
        return null;
    }

    /**
     * Polls without waiting (the poll thread serves every lane) and adds what arrives to the batch.
     *
     * @return the records acquired
     */
    List<Held> poll(Instant now) {
        if (!batch.isEmpty()) {
            throw new IllegalStateException("lane " + name + " still holds " + batch.size() + " record(s)");
        }
        arrivals.clear();
        List<Held> acquired = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ZERO)) {
            Held held = new Held(record);
            batch.put(held.key, held);
            arrivals.add(held);
            acquired.add(held);
        }
        if (acquired.isEmpty()) {
            if (!fetchPending) {
                fetchPending = true; // this poll found nothing in the client, so it sent a fetch
                fetchSentAt = now;
            }
        } else {
            fetchPending = false;
            lastBatchFull = acquired.size() >= batchSize;
            // Acquired by the fetch sent at fetchSentAt, or earlier ones are still waiting in the client: either way
            // not before fetchSentAt.
            lockedAt = fetchSentAt == null ? now : fetchSentAt;
            if (LOG.isDebugEnabled()) {
                LOG.debug("Lane {}: acquired {} record(s), first {} (delivery {})", name, acquired.size(),
                        acquired.get(0).key, acquired.get(0).record.deliveryCount().orElse((short) -1));
            }
        }
        return acquired;
    }

    /**
     * Acknowledges a record of this lane's batch (locally: it travels with the next poll or {@link #flush}).
     *
     * @return false when the lane no longer holds it (its lock was lost at a renewal)
     */
    boolean acknowledge(Key key, AcknowledgeType type) {
        Held held = batch.remove(key);
        if (held == null) {
            return false;
        }
        consumer.acknowledge(held.record, type);
        acknowledged = true;
        return true;
    }

    /**
     * Whether this lane's topic likely has more records for it: its last batch was full and it still holds it, or
     * has not asked for the next yet, or asked less than {@code fetchWait} ago (the longest the broker holds a fetch
     * that finds nothing). Lets the intake keep a backlogged topic's share of the in-flight limit for it in the gap
     * between two batches, and give it away once the topic has nothing.
     */
    boolean backlogged(Instant now, Duration fetchWait) {
        return lastBatchFull && (!batch.isEmpty() || !fetchPending || now.isBefore(fetchSentAt.plus(fetchWait)));
    }

    boolean holds(Key key) {
        return batch.containsKey(key);
    }

    /** Sends the acknowledgements made since the last poll or flush, without waiting. */
    void flush() {
        if (acknowledged) {
            acknowledged = false;
            consumer.commitAsync();
        }
    }

    /** Sends the acknowledgements made since the last poll or flush and waits for them, at most {@code timeout}. */
    void flushSync(Duration timeout) {
        if (closed) {
            return;
        }
        acknowledged = false;
        try {
            Map<TopicIdPartition, Optional<KafkaException>> result = consumer.commitSync(timeout);
            LOG.debug("Lane {}: final acknowledgements {}", name, result);
        } catch (KafkaException e) {
            LOG.warn("Lane {}: committing acknowledgements failed: {}", name, e.toString());
        }
    }

    /** When the batch's locks must be renewed: half the acquisition lock after they were taken or last renewed. */
    Instant renewalDue() {
        if (batch.isEmpty()) {
            return Instant.MAX;
        }
        return lockedAt.plus(lockDuration().dividedBy(2));
    }

    Duration lockDuration() {
        Duration lock = consumer.acquisitionLockTimeoutMs().map(Duration::ofMillis).orElse(defaultLock);
        return lock.compareTo(MIN_LOCK) < 0 ? MIN_LOCK : lock;
    }

    /**
     * Renews the lock of every record still held (see the class comment for why through {@code commitSync}).
     *
     * @return the records whose lock could not be renewed: they are no longer this lane's (the broker hands them to
     *         someone else); the lane forgets them
     */
    List<Held> renew(Instant now, Duration timeout) {
        for (Held held : batch.values()) {
            consumer.acknowledge(held.record, AcknowledgeType.RENEW);
        }
        acknowledged = false;
        try {
            Map<TopicIdPartition, Optional<KafkaException>> result = consumer.commitSync(timeout);
            result.forEach((tip, error) -> error.ifPresent(e ->
                    LOG.warn("Lane {}: renewing locks on {} failed: {}", name, tip, e.toString())));
        } catch (KafkaException e) {
            LOG.warn("Lane {}: renewing {} lock(s) failed: {}", name, batch.size(), e.toString());
        }
        Map<Key, ConsumerRecord<byte[], byte[]>> back = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ZERO)) {
            back.put(Key.of(record), record);
        }
        List<Held> lost = new ArrayList<>();
        batch.entrySet().removeIf(e -> {
            ConsumerRecord<byte[], byte[]> renewed = back.remove(e.getKey());
            if (renewed == null) {
                lost.add(e.getValue());
                return true;
            }
            e.getValue().record = renewed;
            return false;
        });
        // Renewals that all failed leave the client free to fetch: whatever came instead joins the batch.
        back.forEach((key, record) -> {
            Held held = new Held(record);
            batch.put(key, held);
            arrivals.add(held);
        });
        lockedAt = now;
        if (LOG.isDebugEnabled()) {
            LOG.debug("Lane {}: renewed {} lock(s), lost {}, lock {}", name, batch.size(), lost.size(),
                    lockDuration());
        }
        return lost;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    /** Closes the consumer: pending acknowledgements are sent, records still held are released. Idempotent. */
    void close(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            consumer.close(timeout);
        } catch (RuntimeException e) {
            LOG.warn("Lane {}: closing the share consumer failed: {}", name, e.toString());
        }
    }
}
