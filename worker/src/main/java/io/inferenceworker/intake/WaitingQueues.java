package io.inferenceworker.intake;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The consumer-group intake's records polled but not started, one FIFO queue per request topic, and the weighted
 * choice of which queue's head starts next ({@link WeightedTopics}). Per topic so that the partitions of one topic can
 * be paused while its records wait without pausing the others: a deep backlog of a light topic then never fills the
 * buffer ahead of the heavy topic's records.
 *
 * <p>Not thread-safe: confined to the poll thread.
 *
 * @param <T> what waits (a record and its offset tracker)
 */
final class WaitingQueues<T> {
    private final WeightedTopics weights;
    private final Map<String, ArrayDeque<T>> queues = new LinkedHashMap<>();

    WaitingQueues(WeightedTopics weights) {
        this.weights = weights;
        weights.topics().forEach(topic -> queues.put(topic, new ArrayDeque<>()));
    }

    void add(String topic, T waiting) {
        queue(topic).addLast(waiting);
    }

    boolean isEmpty() {
        return queues.values().stream().allMatch(ArrayDeque::isEmpty);
    }

    boolean isEmpty(String topic) {
        ArrayDeque<T> q = queues.get(topic);
        return q == null || q.isEmpty();
    }

    /** The topic whose head should start next (weighted), or null when nothing waits. */
    String next() {
        return weights.pick(topic -> !queues.get(topic).isEmpty());
    }

    T head(String topic) {
        return queue(topic).peekFirst();
    }

    /** Takes the head of {@code topic}, which has just started: counts the start for the weighting. */
    T started(String topic) {
        T head = queue(topic).pollFirst();
        if (head != null) {
            weights.started(topic);
        }
        return head;
    }

    void removeIf(Predicate<T> filter) {
        queues.values().forEach(q -> q.removeIf(filter));
    }

    void clear() {
        queues.values().forEach(ArrayDeque::clear);
    }

    private ArrayDeque<T> queue(String topic) {
        ArrayDeque<T> q = queues.get(topic);
        if (q == null) {
            throw new IllegalArgumentException("not a request topic: " + topic);
        }
        return q;
    }
}
