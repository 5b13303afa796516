package io.inferenceworker.testkit.sim;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The API key each dialect expects; a dialect without one accepts any request. Thread-safe. */
final class Credentials {

    private static final Pattern OWN_SCHEME = Pattern.compile("(?i)(ApiKey|Bearer|Basic) (\\S.*)");

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

    /**
     * Whether {@code authorization} is {@code "<scheme> <expected key>"} (scheme case-insensitive). An expected key
     * that carries its own scheme ({@code "Bearer tok"}, {@code "ApiKey …"}, {@code "Basic …"}: the whole header
     * value, as Elasticsearch's document sends {@code $API_KEY} verbatim) must arrive exactly so, scheme
     * case-insensitive: a second scheme put in front of it is refused.
     */
    boolean accepts(Dialect dialect, String scheme, String authorization) {
        String expected = current.get(dialect);
        if (expected == null) {
            return true;
        }
        Matcher own = OWN_SCHEME.matcher(expected);
        if (own.matches()) {
            return accepts(own.group(1), own.group(2), authorization);
        }
        return accepts(scheme, expected, authorization);
    }

    private static boolean accepts(String scheme, String expected, String authorization) {
        if (authorization == null || authorization.length() != scheme.length() + 1 + expected.length()) {
            return false;
        }
        return authorization.regionMatches(true, 0, scheme, 0, scheme.length())
                && authorization.charAt(scheme.length()) == ' '
                && authorization.endsWith(expected);
    }
}
