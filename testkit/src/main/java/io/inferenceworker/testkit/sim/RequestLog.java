package io.inferenceworker.testkit.sim;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/** The bounded log of recorded requests: the oldest entries drop out past the capacity. Thread-safe. */
final class RequestLog {

    private final int capacity;
    private final ArrayDeque<RecordedRequest> entries = new ArrayDeque<>();

    RequestLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("log capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    synchronized void add(RecordedRequest request) {
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(request);
    }

    synchronized List<RecordedRequest> all() {
        return List.copyOf(entries);
    }

    synchronized List<RecordedRequest> forModel(String model) {
        return entries.stream().filter(r -> Objects.equals(r.model(), model)).toList();
    }

    synchronized void clear() {
        entries.clear();
    }
}
