package io.inferenceworker.serde;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map with a capacity: reads are lock-free; inserting beyond the capacity first evicts some
 * entry (no particular order). Enough for caches whose working set is far below the capacity (schemas per
 * subject), and it keeps a misbehaving producer (a new schema object per record) from growing memory forever.
 *
 * <p>Thread-safe.
 */
final class BoundedCache<K, V> {

    private final Map<K, V> entries = new ConcurrentHashMap<>();
    private final int capacity;

    BoundedCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** The cached value, or {@code null}. */
    V get(K key) {
        return entries.get(key);
    }

    void put(K key, V value) {
        if (entries.size() >= capacity && !entries.containsKey(key)) {
            Iterator<K> keys = entries.keySet().iterator();
            if (keys.hasNext()) {
                keys.next();
                keys.remove();
            }
        }
        entries.put(key, value);
    }

    void remove(K key) {
        entries.remove(key);
    }

    int size() {
        return entries.size();
    }
}
