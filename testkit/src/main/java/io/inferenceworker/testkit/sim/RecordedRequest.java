package io.inferenceworker.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One request the simulator received, as recorded in its bounded log ({@link ProviderSimulator#requests()}).
 * Immutable.
 *
 * @param method     HTTP method, e.g. {@code POST}
 * @param path       the full request path, including the dialect prefix (e.g. {@code /elastic/_inference/...})
 * @param query      the raw query string, {@code ""} when there is none
 * @param headers    request headers; the map's key lookup is case-insensitive
 * @param body       the body parsed as JSON; a {@link com.fasterxml.jackson.databind.node.MissingNode} when the body is
 *                   empty or not JSON
 * @param rawBody    the body as received (UTF-8)
 * @param dialect    the dialect whose prefix the path starts with
 * @param model      the scenario key: the body's {@code model}, or for ELASTIC the inference ID when the body names
 *                   no model; {@code null} when there is neither
 * @param receivedAt when the simulator received it (its clock)
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
                              JsonNode body, String rawBody, Dialect dialect, String model, Instant receivedAt) {

    private static final Set<String> SECRET_HEADERS =
            Set.of("authorization", "api-key", "x-api-key", "proxy-authorization");

    /** Validates the components. */
    public RecordedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(rawBody, "rawBody");
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** The first value of header {@code name} (case-insensitive). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** The first value of query parameter {@code name}, URL-decoded. */
    public Optional<String> queryParam(String name) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                return Optional.of(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    /** Like the generated one, but credentials headers are redacted so a printed log never shows a key. */
    @Override
    public String toString() {
        String shownHeaders = headers.entrySet().stream()
                .map(e -> e.getKey() + "=" + (SECRET_HEADERS.contains(e.getKey().toLowerCase(Locale.ROOT))
                        ? "[redacted]" : e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
        return "RecordedRequest[method=" + method + ", path=" + path + ", query=" + query + ", headers=" + shownHeaders
                + ", rawBody=" + rawBody + ", dialect=" + dialect + ", model=" + model + ", receivedAt=" + receivedAt
                + "]";
    }
}
