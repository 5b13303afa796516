package io.inferenceworker.testkit.sim;

import java.util.Optional;

/** A path with one {@code {id}} placeholder, e.g. {@code /v1/chat/completions/{id}/rate}. Immutable. */
record PathTemplate(String prefix, String suffix) {

    private static final String PLACEHOLDER = "{id}";

    /** @throws IllegalArgumentException unless {@code template} starts with '/' and has exactly one {@code {id}} */
    static PathTemplate parse(String template) {
        int at = template.indexOf(PLACEHOLDER);
        if (!template.startsWith("/") || at < 0 || template.indexOf(PLACEHOLDER, at + 1) >= 0) {
            throw new IllegalArgumentException("a path template starts with '/' and has exactly one {id}: " + template);
        }
        return new PathTemplate(template.substring(0, at), template.substring(at + PLACEHOLDER.length()));
    }

    /** The {@code {id}} of {@code path} when it matches (one non-empty path segment). */
    Optional<String> match(String path) {
        if (path.length() <= prefix.length() + suffix.length() || !path.startsWith(prefix) || !path.endsWith(suffix)) {
            return Optional.empty();
        }
        String id = path.substring(prefix.length(), path.length() - suffix.length());
        return id.contains("/") ? Optional.empty() : Optional.of(id);
    }
}
