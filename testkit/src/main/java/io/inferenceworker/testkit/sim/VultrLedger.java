package io.inferenceworker.testkit.sim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Vultr completion IDs the simulator issued (the most recent {@value #CAPACITY}) and the votes they got, so the
 * rating route can answer 404 for an unknown ID. Thread-safe.
 */
final class VultrLedger {

    static final int CAPACITY = 100_000;
    private static final String NO_VOTE = "";

    private final Map<String, String> votes = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized void issued(String completionId) {
        votes.putIfAbsent(completionId, NO_VOTE);
    }

    /** Records {@code vote}; false when the ID was never issued (or has dropped out). */
    synchronized boolean vote(String completionId, String vote) {
        if (!votes.containsKey(completionId)) {
            return false;
        }
        votes.put(completionId, vote);
        return true;
    }

    synchronized Optional<String> voteFor(String completionId) {
        String vote = votes.get(completionId);
        return vote == null || vote.equals(NO_VOTE) ? Optional.empty() : Optional.of(vote);
    }

    synchronized void clear() {
        votes.clear();
    }
}
