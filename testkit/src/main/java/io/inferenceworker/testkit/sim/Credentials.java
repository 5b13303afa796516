package io.inferenceworker.testkit.sim;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** The API key each dialect expects; a dialect without one accepts any request. Thread-safe. */
final class Credentials {

    private final Map<Dialect, String> initial;
    private final Map<Dialect, String> current = new ConcurrentHashMap<>();

    Credentials(Map<Dialect, String> initial) {
        this.initial = Map.copyOf(initial);
        current.putAll(this.initial);
    }

    void set(Dialect dialect, String key) {
        Objects.requireNonNull(dialect, "dialect");
        if (key == null) {
            current.remove(dialect);
        } else {
            current.put(dialect, key);
        }
    }

    void reset() {
        current.clear();
        current.putAll(initial);
    }

    /** Whether {@code authorization} is {@code "<scheme> <expected key>"} (scheme case-insensitive). */
    boolean accepts(Dialect dialect, String scheme, String authorization) {
        String expected = current.get(dialect);
        if (expected == null) {
            return true;
        }
        if (authorization == null || authorization.length() != scheme.length() + 1 + expected.length()) {
            return false;
        }
        return authorization.regionMatches(true, 0, scheme, 0, scheme.length())
                && authorization.charAt(scheme.length()) == ' '
                && authorization.endsWith(expected);
    }
}
