package io.inferenceworker.ops;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admits the first {@code limit} distinct values of one tag and maps every later one to {@value #OTHER}, so that
 * values chosen by requests cannot create an unbounded number of time series. Missing values become
 * {@value #UNKNOWN}; overlong ones are cut to {@value #MAX_LENGTH} characters.
 *
 * <p>Thread-safe: the common case (a value already admitted) is a lock-free lookup.
 */
final class BoundedTagValues {
    static final String OTHER = "other";
    static final String UNKNOWN = "unknown";
    static final int MAX_LENGTH = 100;

    private final int limit;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    BoundedTagValues(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        this.limit = limit;
    }

    /** The tag value to use for {@code value}; {@value #UNKNOWN} when it is missing. */
    String admit(String value) {
        return admit(value, UNKNOWN);
    }

    /** The tag value to use for {@code value}; {@code missing} (admitted like any value) when it is null or blank. */
    String admit(String value, String missing) {
        String v = value == null || value.isBlank() ? missing : normalise(value);
        if (admitted.contains(v)) {
            return v;
        }
        synchronized (this) {
            if (admitted.contains(v)) {
                return v;
            }
            if (admitted.size() >= limit) {
                return OTHER;
            }
            admitted.add(v);
            return v;
        }
    }

    private static String normalise(String value) {
        if (value == null || value.isBlank()) {
            return UNKNOWN;
        }
        String v = value.strip();
        return v.length() > MAX_LENGTH ? v.substring(0, MAX_LENGTH) : v;
    }
}
