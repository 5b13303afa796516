package io.inferenceworker.provider.compat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferenceworker.provider.ProviderException;
import io.inferenceworker.provider.compat.StatusPolicy.Rule;
import io.inferenceworker.provider.transport.HttpReply;
import io.inferenceworker.provider.transport.SseReader;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one place where a failed answer becomes a {@link ProviderException}: a non-success HTTP status, an error inside
 * a success answer (a stream's error event, or an error body under 200), a malformed answer and a stream that broke
 * off. The {@link StatusPolicy} of the call says which {@link Rule} applies; {@link #failure} turns the rule into the
 * exception, with the retry hint ({@link RetryHints}) for a retryable HTTP status and the rule's outage verdict.
 *
 * <p>An error inside a success answer is classified by the status its {@code code} stands for (as the table says),
 * else it is a retryable {@code stream_error}. Malformed answers ({@code malformed_response}) and broken streams
 * ({@code stream_error}) are retryable outages: a truncated or garbled body is almost always a transient fault of the
 * server or a proxy. An error status whose body is an event stream is read from its first event.
 *
 * <p>Messages carry the provider's error message, stripped of control characters, cut to
 * {@value #MAX_MESSAGE_CHARS} characters, and with any occurrence of the API key replaced by {@code <redacted>};
 * never a header value. Immutable and thread-safe.
 */
final class ErrorClassifier {
    static final int MAX_MESSAGE_CHARS = 500;
    static final int MAX_ERROR_BODY_CHARS = 64 * 1024;
    private static final Rule MALFORMED = Rule.down("malformed_response");
    private static final Rule STREAM_ERROR = Rule.down("stream_error");
    private static final Pattern CONTROL_CHARACTERS = Pattern.compile("\\p{Cntrl}+");

    private final String apiKey;
    private final ObjectMapper json;
    private final RetryHints hints;

    /** @param apiKey the configured key, redacted from messages; null or blank when there is none */
    ErrorClassifier(String apiKey, ObjectMapper json, Clock clock) {
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
        this.json = Objects.requireNonNull(json, "json");
        this.hints = new RetryHints(clock);
    }

    /** A non-success status, classified by {@code statuses} with the error body's type and code. */
    ProviderException httpError(ProviderException.Context context, StatusPolicy statuses, int status,
                                HttpHeaders headers, String body) {
        Optional<ProviderError> error = ProviderError.parse(json, body);
        if (error.isEmpty() && isEventStream(headers)) {
            error = firstEventError(body);
        }
        Rule rule = statuses.classify(status, error);
        Duration retryAfter = rule.retryable() ? hints.retryAfter(headers).orElse(null) : null;
        return failure(rule, context, "HTTP " + status + describe(error), status,
                HttpReply.requestIdOf(headers).orElse(null), retryAfter);
    }

    /** An error reported inside a success answer ({@code data}: the event or body that carries it). */
    ProviderException inAnswer(ProviderException.Context context, StatusPolicy statuses, int status,
                               String requestId, String data) {
        Optional<ProviderError> error = ProviderError.parse(json, data)
                .or(() -> Optional.of(new ProviderError(data, null, null, null)));
        Rule rule = statuses.streamStatus(error.get().code()).map(s -> statuses.classify(s, error))
                .orElse(STREAM_ERROR);
        return failure(rule, context, "provider reported an error in the response" + describe(error), status,
                requestId, null);
    }

    /** A success status whose body or event is not what the format says. */
    ProviderException malformed(ProviderException.Context context, int status, String requestId, String what,
                                Exception e) {
        // No cause for JSON errors: the parser's message quotes the body, which may hold completion text.
        String where = e instanceof JsonProcessingException j ? where(j) : "";
        return failure(MALFORMED, context, what + where, status, requestId, null);
    }

    /** A stream that ended without its end marker. */
    ProviderException streamEnded(ProviderException.Context context, int status, String requestId) {
        return failure(STREAM_ERROR, context, "stream ended before [DONE]", status, requestId, null);
    }

    /** The step from a rule to an exception, for every failure above. */
    private static ProviderException failure(Rule rule, ProviderException.Context context, String message,
                                             int status, String requestId, Duration retryAfter) {
        ProviderException.Details details = ProviderException.of(context, rule.code(), message)
                .withHttpStatus(status).withProviderRequestId(requestId).withRetryAfter(retryAfter);
        return rule.retryable() ? details.withOutage(rule.outage()).retryable() : details.terminal();
    }

    private String describe(Optional<ProviderError> error) {
        if (error.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        if (error.get().message() != null) {
            text.append(": ").append(sanitize(error.get().message()));
        }
        if (error.get().type() != null) {
            text.append(" (type ").append(sanitize(error.get().type())).append(')');
        }
        return text.toString();
    }

    /** Provider text made safe for messages: no API key, no control characters, bounded length. */
    String sanitize(String text) {
        String clean = apiKey == null ? text : text.replace(apiKey, "<redacted>");
        clean = CONTROL_CHARACTERS.matcher(clean).replaceAll(" ").strip();
        return clean.length() > MAX_MESSAGE_CHARS ? clean.substring(0, MAX_MESSAGE_CHARS) + "..." : clean;
    }

    /** The error in the first event of an error status's event-stream body (Elasticsearch's {@code event: error}). */
    private Optional<ProviderError> firstEventError(String body) {
        Iterator<String> lines = body.lines().iterator();
        try {
            return new SseReader(() -> lines.hasNext() ? lines.next() : null, MAX_ERROR_BODY_CHARS).next()
                    .flatMap(event -> ProviderError.parse(json, event.data()));
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** Where in its input a JSON error happened, as " (line L, column C)", or "" when the parser does not say. */
    static String where(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static boolean isEventStream(HttpHeaders headers) {
        return contentTypeStartsWith(headers, "text/event-stream");
    }

    static boolean isJson(HttpHeaders headers) {
        return contentTypeStartsWith(headers, "application/json");
    }

    private static boolean contentTypeStartsWith(HttpHeaders headers, String type) {
        return headers.firstValue("content-type")
                .map(t -> t.trim().toLowerCase(Locale.ROOT).startsWith(type))
                .orElse(false);
    }
}
