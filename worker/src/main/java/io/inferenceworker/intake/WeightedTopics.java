package io.inferenceworker.intake;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which request topic's record starts next when several topics wait for the in-flight budget: start-time fair
 * queuing over the topics, each job costing {@code 1 / weight} of its topic's virtual time.
 *
 * <p>The intake asks {@link #pick} for the topic with the smallest virtual time among those with a record waiting,
 * and tells {@link #started} when that record took a slot. So while every topic has records waiting, starts are split
 * in proportion to the weights (8:1 gives eight of every nine slots to the heavier topic, interleaved, not in bursts);
 * a topic with nothing waiting is skipped, so its share goes to the others (work-conserving); and a topic that comes
 * back after being idle starts at the current virtual time, with no credit saved up: it cannot crowd out the others
 * for a while to make up for the time it had nothing to do. No topic of weight &ge; 1 starves: among {@code n}
 * waiting topics a topic of weight {@code w} gets a slot at least once in every {@code W / w + n} starts, {@code W}
 * the sum of the waiting topics' weights.
 *
 * <p>One topic of weight 1 (a single {@code topics.requests}) makes every call trivial: the intake behaves as before.
 *
 * <p>Not thread-safe: confined to the intake's poll thread.
 */
final class WeightedTopics {
    /** Every topic may hold at least one slot, whatever its weight and the limit: none starves. */
    private static final int MIN_SHARE = 1;

    private final Map<String, Integer> weights;
    private final Map<String, Double> virtualTime = new LinkedHashMap<>();
    /** The virtual time of the last start: where a topic that was idle starts again. */
    private double now;

    /** @param weights the request topics and their weights, each &ge; 1, in configuration order (ties go first) */
    WeightedTopics(Map<String, Integer> weights) {
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("at least one request topic is needed");
        }
        weights.forEach((topic, weight) -> {
            Objects.requireNonNull(topic, "topic");
            if (weight == null || weight < 1) {
                throw new IllegalArgumentException("the weight of request topic " + topic + " must be >= 1, was "
                        + weight);
            }
            virtualTime.put(topic, 0.0);
        });
        this.weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    }

    /** One topic, weight 1. */
    static WeightedTopics single(String topic) {
        return new WeightedTopics(Map.of(topic, 1));
    }

    List<String> topics() {
        return List.copyOf(weights.keySet());
    }

    int weight(String topic) {
        Integer w = weights.get(topic);
        if (w == null) {
            throw new IllegalArgumentException("not a request topic: " + topic);
        }
        return w;
    }

    /**
     * The topic whose waiting record should start next, or null when none waits. Does not count a start: call
     * {@link #started} once the record took its slot (a pick that found the budget full is simply asked again).
     */
    String pick(Predicate<String> waiting) {
        String best = null;
        double bestTime = Double.MAX_VALUE;
        for (Map.Entry<String, Double> e : virtualTime.entrySet()) {
            if (!waiting.test(e.getKey())) {
                continue;
            }
            // back from idle (or behind the others): no credit saved up
            double t = Math.max(e.getValue(), now);
            e.setValue(t);
            if (t < bestTime) {
                best = e.getKey();
                bestTime = t;
            }
        }
        return best;
    }

    /**
     * The slots of {@code limit} that {@code topic} may hold while the topics for which {@code backlogged} holds
     * compete with it: split by weight among them and {@code topic} (largest remainders, so the shares add up to the
     * limit), at least 1. The whole limit when no other topic is backlogged: an idle topic's share goes to the others.
     */
    int share(String topic, int limit, Predicate<String> backlogged) {
        weight(topic); // a topic it does not know is a bug
        List<String> competing = weights.keySet().stream()
                .filter(t -> t.equals(topic) || backlogged.test(t)).toList();
        long total = competing.stream().mapToLong(weights::get).sum();
        Map<String, Long> slots = new LinkedHashMap<>();
        long given = 0;
        for (String t : competing) {
            long floor = (long) limit * weights.get(t) / total;
            slots.put(t, floor);
            given += floor;
        }
        // what the floors leave goes to the largest remainders (a stable sort: configuration order on ties)
        List<String> byRemainder = competing.stream()
                .sorted(Comparator.comparingLong((String t) -> -((long) limit * weights.get(t) % total))).toList();
        for (int i = 0; i < limit - given; i++) {
            slots.merge(byRemainder.get(i), 1L, Long::sum);
        }
        return (int) Math.max(MIN_SHARE, slots.get(topic));
    }

    /** Counts a record of {@code topic} started: its topic's virtual time advances by {@code 1 / weight}. */
    void started(String topic) {
        int w = weight(topic);
        double t = virtualTime.get(topic);
        now = Math.max(now, t);
        virtualTime.put(topic, t + 1.0 / w);
    }
}
