package io.inferenceworker.provider.transport;

import io.inferenceworker.provider.ProviderException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One JSON POST a provider adapter asks {@link ProviderTransport} to make.
 *
 * <p>{@link #toString()} lists header names only: the {@code Authorization} value is a secret.
 *
 * @param context        the job, provider and attempt, for the errors this call may raise
 * @param uri            the full endpoint URI
 * @param headers        request headers (including authorization); {@code Content-Type: application/json} is added
 *                       unless present
 * @param body           the JSON request body, UTF-8 (bytes rather than text: a job's body is held for as long as
 *                       its call is in flight, so one copy is kept, the one that is sent); not copied, not to be
 *                       changed after
 * @param deadline       when this attempt gives up: the time left is the request's timeout, and a stream still open
 *                       at the deadline is cut
 * @param connectTimeout how long establishing a connection may take
 */
public record HttpCall(ProviderException.Context context, URI uri, Map<String, String> headers, byte[] body,
                       Instant deadline, Duration connectTimeout) {

    public HttpCall {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(uri, "uri");
        headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    /** This call with one more header (replacing one of the same name). */
    public HttpCall withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new HttpCall(context, uri, h, body, deadline, connectTimeout);
    }

    /** This call with the W3C {@code traceparent} header when one is given. */
    public HttpCall withTraceparent(Optional<String> traceparent) {
        return traceparent.filter(t -> !t.isBlank()).map(t -> withHeader("traceparent", t)).orElse(this);
    }

    @Override
    public String toString() {
        return "HttpCall[POST " + uri + ", headers=" + headers.keySet() + ", deadline=" + deadline + ", " + context
                + "]";
    }
}
