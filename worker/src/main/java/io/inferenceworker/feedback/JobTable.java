package io.inferenceworker.feedback;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The jobs a vote may refer to: the {@value VotesTopology#JOBS_STORE} table, one entry per job holding its result's
 * bytes and record timestamp, kept for {@code votes.job-retention} after the result. A lookup decodes the facts a
 * vote needs ({@link ResultFacts}); nothing is decoded for results nobody votes on.
 *
 * <p>Results older than the retention do not exist for {@link #facts}: a vote on such a job waits for a result like
 * a vote on a job never seen, and is dead-lettered as an unknown job after the wait window. They are also deleted
 * from the local store, so it does not grow without bound: when a lookup finds them expired, and by
 * {@link #expireSome}, which a punctuation calls and which walks the table a batch at a time from where it stopped,
 * wrapping around at the end. A punctuation therefore costs at most {@link #BATCH} reads however large the table is,
 * and every entry is visited once per pass. The table's changelog is the results topic, which a deletion does not
 * touch: a restore brings expired results back until the topic's own retention drops them, and they are deleted
 * again.
 *
 * <p>The table is the KTable's own store: the deletions bypass the KTable's change stream, which nothing but the
 * vote joiner reads, and the joiner ignores results older than the retention when they arrive.
 *
 * <p>Not thread-safe: used by one {@link VoteJoiner}, on its stream thread.
 */
final class JobTable {
    /** Entries read per {@link #expireSome} call. */
    static final int BATCH = 5_000;

    private final KeyValueStore<String, ValueAndTimestamp<byte[]>> store;
    private final long retentionMillis;
    private final ResultFacts decoder;
    /** The last key the walk read; null: start from the first key. */
    private String cursor;

    JobTable(KeyValueStore<String, ValueAndTimestamp<byte[]>> store, Duration retention, ResultFacts decoder) {
        this.store = Objects.requireNonNull(store, "store");
        this.retentionMillis = Objects.requireNonNull(retention, "retention").toMillis();
        this.decoder = Objects.requireNonNull(decoder, "decoder");
    }

    /** Whether a result with record timestamp {@code timestamp} is past the retention at {@code now}. */
    boolean expired(long timestamp, long now) {
        return now - timestamp >= retentionMillis;
    }

    /** The facts of {@code jobId}, or null if unknown, undecodable or expired at {@code now} (then deleted). */
    JobFacts facts(String jobId, long now) {
        ValueAndTimestamp<byte[]> entry = store.get(jobId);
        if (entry == null) {
            return null;
        }
        if (expired(entry.timestamp(), now)) {
            store.delete(jobId);
            return null;
        }
        return decoder.of(jobId, entry.value()).orElse(null);
    }

    /** Deletes the expired entries among the next {@link #BATCH} of the walk; returns how many it deleted. */
    int expireSome(long now) {
        List<String> expired = new ArrayList<>();
        int read = 0;
        // The key right after the cursor in the store's byte order: the cursor plus a NUL (UTF-8 byte 0).
        try (KeyValueIterator<String, ValueAndTimestamp<byte[]>> it =
                     store.range(cursor == null ? null : cursor + '\u0000', null)) {
            while (read < BATCH && it.hasNext()) {
                KeyValue<String, ValueAndTimestamp<byte[]>> entry = it.next();
                read++;
                cursor = entry.key;
                if (entry.value == null || expired(entry.value.timestamp(), now)) {
                    expired.add(entry.key);
                }
            }
            if (!it.hasNext()) {
                cursor = null;
            }
        }
        expired.forEach(store::delete);
        return expired.size();
    }

    /** How often to walk a batch: a twentieth of the retention, between 100 ms and 5 s. */
    static Duration expiryInterval(Duration retention) {
        return Duration.ofMillis(Math.clamp(retention.toMillis() / 20, 100L, 5_000L));
    }
}
