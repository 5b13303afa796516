package io.inferenceworker.testkit.sim;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Behaviour sequences keyed by model; each request to a model consumes one step, the last step repeats. Thread-safe. */
final class Scenarios {

    private final Map<String, Sequence> byModel = new ConcurrentHashMap<>();

    void put(String model, List<Behaviour> steps) {
        Objects.requireNonNull(model, "model");
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a scenario needs at least one behaviour");
        }
        steps.forEach(step -> Objects.requireNonNull(step, "behaviour"));
        byModel.put(model, new Sequence(List.copyOf(steps)));
    }

    /** The behaviour for the next request to {@code model} ({@link Behaviour#ok()} without a scenario). */
    Behaviour next(String model) {
        Sequence sequence = model == null ? null : byModel.get(model);
        return sequence == null ? Behaviour.ok() : sequence.next();
    }

    void clear() {
        byModel.clear();
    }

    private record Sequence(List<Behaviour> steps, AtomicInteger cursor) {
        Sequence(List<Behaviour> steps) {
            this(steps, new AtomicInteger());
        }

        Behaviour next() {
            int last = steps.size() - 1;
            // getAndUpdate caps the cursor at the last step, so a long run never overflows it.
            return steps.get(cursor.getAndUpdate(i -> i < last ? i + 1 : i));
        }
    }
}
