package io.inferenceworker.testkit.sim;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Request counters, in-flight gauge and peak concurrency. Thread-safe, lock-free. */
final class Metrics {

    private final LongAdder total = new LongAdder();
    private final Map<Dialect, LongAdder> perDialect = new EnumMap<>(Dialect.class);
    private final Map<String, LongAdder> perModel = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    Metrics() {
        for (Dialect dialect : Dialect.values()) {
            perDialect.put(dialect, new LongAdder());
        }
    }

    void requestStarted() {
        total.increment();
        int now = inFlight.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
    }

    void requestEnded() {
        inFlight.decrementAndGet();
    }

    void countFor(Dialect dialect, String model) {
        perDialect.get(dialect).increment();
        if (model != null) {
            perModel.computeIfAbsent(model, m -> new LongAdder()).increment();
        }
    }

    long total() {
        return total.sum();
    }

    long total(Dialect dialect) {
        return perDialect.get(dialect).sum();
    }

    long forModel(String model) {
        LongAdder adder = perModel.get(model);
        return adder == null ? 0 : adder.sum();
    }

    int inFlight() {
        return inFlight.get();
    }

    int peak() {
        return peak.get();
    }

    void resetPeak() {
        peak.set(inFlight.get());
    }

    void reset() {
        total.reset();
        perDialect.values().forEach(LongAdder::reset);
        perModel.clear();
        resetPeak();
    }
}
