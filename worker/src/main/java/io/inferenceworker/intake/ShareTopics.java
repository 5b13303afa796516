package io.inferenceworker.intake;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The share intake's request topics, their lanes, and which lane's held record starts next: the topic by weight
 * ({@link WeightedTopics}), within it lane by lane, oldest first.
 *
 * <p>Why a cap per topic on top of the weighted order: a lane asks for its next batch only once its whole batch is
 * done, so a backlogged topic has, now and then, nothing waiting in the intake for the few milliseconds its next batch
 * takes to come; weighted order alone would hand each slot freed in such a gap to another topic (measured: 48 % of
 * the starts for a topic of weight 8 against one of weight 1). So while other topics are backlogged
 * ({@link ShareLane#backlogged}), a topic starts records only within its weighted share of the in-flight limit
 * ({@link WeightedTopics#share}); a topic that has nothing more leaves its share to the others within one fetch wait.
 * With one topic only the in-flight budget bounds it, as before.
 *
 * <p>Not thread-safe: confined to the share intake's poll thread.
 */
final class ShareTopics {
    private final WeightedTopics weights;
    private final Map<String, List<ShareLane>> lanesByTopic;
    private final List<ShareLane> lanes;
    private final int inFlightLimit;
    private final Duration fetchWait;
    /** Jobs running (or dead-lettering) per topic, as the intake reports them. */
    private final Map<String, Integer> running = new HashMap<>();

    /**
     * @param lanesByTopic  each request topic's lanes, at least one per topic of {@code weights}
     * @param weights       the request topics and their weights (each &ge; 1), in configuration order
     * @param inFlightLimit the in-flight limit the topics share
     * @param fetchWait     the longest the broker holds a fetch that finds nothing
     */
    ShareTopics(Map<String, List<ShareLane>> lanesByTopic, Map<String, Integer> weights, int inFlightLimit,
                Duration fetchWait) {
        this.weights = new WeightedTopics(weights);
        Map<String, List<ShareLane>> byTopic = new LinkedHashMap<>();
        for (String topic : this.weights.topics()) {
            List<ShareLane> ofTopic = lanesByTopic.getOrDefault(topic, List.of());
            if (ofTopic.isEmpty()) {
                throw new IllegalArgumentException("request topic " + topic + " needs at least one lane");
            }
            byTopic.put(topic, List.copyOf(ofTopic));
        }
        if (!byTopic.keySet().equals(lanesByTopic.keySet())) {
            throw new IllegalArgumentException("lanes for topics " + lanesByTopic.keySet() + " but weights for "
                    + byTopic.keySet());
        }
        this.lanesByTopic = Collections.unmodifiableMap(byTopic);
        this.lanes = byTopic.values().stream().flatMap(List::stream).toList();
        this.inFlightLimit = inFlightLimit;
        this.fetchWait = fetchWait;
    }

    List<String> topics() {
        return weights.topics();
    }

    /** Every lane, topic by topic. */
    List<ShareLane> lanes() {
        return lanes;
    }

    String topicOf(ShareLane lane) {
        for (Map.Entry<String, List<ShareLane>> e : lanesByTopic.entrySet()) {
            if (e.getValue().contains(lane)) {
                return e.getKey();
            }
        }
        throw new IllegalArgumentException("lane " + lane.name() + " reads no request topic");
    }

    /** The lane whose oldest not-started record should start next, or null when none may. Counts nothing. */
    ShareLane next(Instant now) {
        String topic;
        if (lanesByTopic.size() == 1) {
            topic = weights.topics().get(0);
        } else {
            Predicate<String> backlogged = t -> backlogged(t, now);
            topic = weights.pick(t -> hasNotStarted(t)
                    && running.getOrDefault(t, 0) < weights.share(t, inFlightLimit, backlogged));
        }
        return topic == null ? null : laneWithNotStarted(topic);
    }

    /** A record of {@code lane} took a slot of the budget: counted for the weighting. */
    void started(ShareLane lane) {
        weights.started(topicOf(lane));
    }

    /** A job of {@code topic} runs (or dead-letters) from now on. */
    void running(String topic) {
        running.merge(topic, 1, Integer::sum);
    }

    /** A job of {@code topic} that {@link #running} counted ended. */
    void ended(String topic) {
        running.merge(topic, -1, Integer::sum);
    }

    private boolean backlogged(String topic, Instant now) {
        if (hasNotStarted(topic)) {
            return true;
        }
        for (ShareLane lane : lanesByTopic.get(topic)) {
            if (lane.backlogged(now, fetchWait)) {
                return true;
            }
        }
        return false;
    }

    private boolean hasNotStarted(String topic) {
        return laneWithNotStarted(topic) != null;
    }

    private ShareLane laneWithNotStarted(String topic) {
        for (ShareLane lane : lanesByTopic.get(topic)) {
            if (lane.nextNotStarted() != null) {
                return lane;
            }
        }
        return null;
    }
}
