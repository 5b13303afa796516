package io.inferenceworker.serde;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Collapses concurrent identical registry requests into one: when a thousand jobs start at once on a cold cache, the
 * first caller asks the registry and the others wait for its answer instead of asking too (a thundering herd that
 * can overrun a registry). Failures are shared by the callers waiting at that moment and never remembered.
 *
 * <p>Thread-safe.
 */
final class SingleFlight<K> {
    private final ConcurrentHashMap<K, CompletableFuture<Object>> calls = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    <V> V call(K key, Supplier<V> request) {
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> running = calls.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return (V) running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            V value = request.get();
            mine.complete(value);
            return value;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            calls.remove(key, mine);
        }
    }
}
