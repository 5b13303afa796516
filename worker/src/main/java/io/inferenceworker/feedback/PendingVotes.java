package io.inferenceworker.feedback;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The votes waiting for their job's result or for their turn to be forwarded: every vote, one entry each, never one
 * per job. Several users may rate the same completion, and a vote that arrives before its job's result must not
 * replace another one waiting: each must end in its own VoteRecord or dead letter.
 *
 * <p>An entry's key is the job ID, a NUL character and the vote's source offset in 20 digits ({@link #keyOf}): the
 * votes of one job are then adjacent and in arrival order (a job's votes all come from one partition, since they
 * are keyed by job ID), found with one prefix scan. A job ID that itself contains a NUL character cannot be
 * confused with another: the job ID of a key is what comes before its <em>last</em> NUL, and scans compare it.
 *
 * <p>Workers before this layout kept one vote per job under the bare job ID; such an entry is moved to the new
 * layout when its job is next looked at or by the next sweep ({@link #byJob()}), so pending votes survive an
 * upgrade.
 *
 * <p>Which jobs have waiting votes is also kept in memory ({@link #hasVotesOn}), built from the store when the task
 * starts (after its restore) and kept up to date by {@link #add} and {@link #remove}: every result is checked
 * against it, and a store scan per result would be most of what a result costs, though few jobs have a vote.
 *
 * <p>Not thread-safe: used by one {@link VoteJoiner}, on its stream thread.
 */
final class PendingVotes {
    private static final char SEPARATOR = '\u0000';
    private static final int OFFSET_DIGITS = 20;
    private static final StringSerializer PREFIX_SERIALIZER = new StringSerializer();

    private final KeyValueStore<String, PendingVote> store;
    /** How many votes the store holds per job, for the jobs that have any. */
    private final Map<String, Integer> votesPerJob = new HashMap<>();

    /** Reads the whole store once, to know which jobs have votes: it holds only votes still waiting. */
    PendingVotes(KeyValueStore<String, PendingVote> store) {
        this.store = Objects.requireNonNull(store, "store");
        try (KeyValueIterator<String, PendingVote> it = store.all()) {
            it.forEachRemaining(entry -> votesPerJob.merge(jobIdOf(entry.key).orElse(entry.key), 1, Integer::sum));
        }
    }

    /** The store key of {@code vote} on {@code jobId}. */
    static String keyOf(String jobId, PendingVote vote) {
        return jobId + SEPARATOR + String.format("%0" + OFFSET_DIGITS + "d", vote.offset());
    }

    /** The job ID of a store key in the current layout, or empty for a key of the old one-vote-per-job layout. */
    static Optional<String> jobIdOf(String key) {
        int at = key.lastIndexOf(SEPARATOR);
        if (at < 0 || key.length() - at - 1 != OFFSET_DIGITS) {
            return Optional.empty();
        }
        for (int i = at + 1; i < key.length(); i++) {
            if (!Character.isDigit(key.charAt(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(key.substring(0, at));
    }

    void add(String jobId, PendingVote vote) {
        String key = keyOf(jobId, vote);
        if (store.get(key) == null) {
            votesPerJob.merge(jobId, 1, Integer::sum);
        }
        store.put(key, vote);
    }

    void remove(String jobId, PendingVote vote) {
        if (store.delete(keyOf(jobId, vote)) != null) {
            votesPerJob.computeIfPresent(jobId, (job, count) -> count == 1 ? null : count - 1);
        }
    }

    /** Whether any vote on {@code jobId} waits; answered from memory. */
    boolean hasVotesOn(String jobId) {
        return votesPerJob.containsKey(jobId);
    }

    /** The oldest waiting vote on {@code jobId}, if any. */
    Optional<PendingVote> first(String jobId) {
        migrate(jobId);
        try (KeyValueIterator<String, PendingVote> it = store.prefixScan(jobId + SEPARATOR, PREFIX_SERIALIZER)) {
            while (it.hasNext()) {
                KeyValue<String, PendingVote> entry = it.next();
                if (jobIdOf(entry.key).filter(jobId::equals).isPresent()) {
                    return Optional.of(entry.value);
                }
            }
        }
        return Optional.empty();
    }

    /** Every waiting vote, grouped by job ID, each job's votes in arrival order; moves old-layout entries first. */
    Map<String, List<PendingVote>> byJob() {
        List<KeyValue<String, PendingVote>> all = new ArrayList<>();
        try (KeyValueIterator<String, PendingVote> it = store.all()) {
            it.forEachRemaining(all::add);
        }
        Map<String, List<PendingVote>> out = new LinkedHashMap<>();
        for (KeyValue<String, PendingVote> entry : all) {
            String jobId = jobIdOf(entry.key).orElse(null);
            if (jobId == null) {
                jobId = entry.key;
                migrate(jobId);
            }
            out.computeIfAbsent(jobId, k -> new ArrayList<>()).add(entry.value);
        }
        out.values().forEach(votes -> votes.sort((a, b) -> Long.compare(a.offset(), b.offset())));
        return out;
    }

    /** Moves the vote a worker of the old layout kept under the bare job ID, if there is one. */
    private void migrate(String jobId) {
        PendingVote old = store.get(jobId);
        if (old != null) {
            store.put(keyOf(jobId, old), old);
            store.delete(jobId);
        }
    }
}
