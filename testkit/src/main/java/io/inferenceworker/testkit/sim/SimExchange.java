package io.inferenceworker.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One request as the dialect handlers see it: the path below the dialect prefix, the body (raw and parsed) and
 * helpers to answer it. Used by one thread.
 */
final class SimExchange {

    static final String JSON = "application/json";
    static final String EVENT_STREAM = "text/event-stream; charset=utf-8";

    private final HttpExchange http;
    private final ObjectMapper mapper;
    private final Dialect dialect;
    private final String subPath;
    private final byte[] rawBody;
    private final JsonNode body;
    private String model;
    private Map<String, String> overrides = Map.of();
    private Runnable beforeLastBytes = () -> { };

    SimExchange(HttpExchange http, ObjectMapper mapper, Dialect dialect, String subPath, byte[] rawBody,
                JsonNode body) {
        this.http = http;
        this.mapper = mapper;
        this.dialect = dialect;
        this.subPath = subPath;
        this.rawBody = rawBody;
        this.body = body;
    }

    Dialect dialect() {
        return dialect;
    }

    String method() {
        return http.getRequestMethod();
    }

    /** The path below the dialect prefix, e.g. {@code /v1/chat/completions}. */
    String subPath() {
        return subPath;
    }

    /** The full request path. */
    String path() {
        return http.getRequestURI().getRawPath();
    }

    String header(String name) {
        return http.getRequestHeaders().getFirst(name);
    }

    /** The body as received; not copied, do not modify. */
    byte[] rawBody() {
        return rawBody;
    }

    String rawQuery() {
        String query = http.getRequestURI().getRawQuery();
        return query == null ? "" : query;
    }

    /** The parsed JSON body, or {@code null} when the body is empty or not JSON. */
    JsonNode body() {
        return body;
    }

    /** The scenario key (see {@link RecordedRequest#model()}). */
    String model() {
        return model;
    }

    void model(String scenarioKey) {
        this.model = scenarioKey;
    }

    /**
     * Runs {@code action} once, just before the last bytes of the answer go out. The in-flight gauge ends a request
     * there: ended after the write, a client that got its answer could send its next request before the gauge
     * dropped, and a cap of 3 concurrent calls was measured as 4 (GuardedProviderTest, now ProviderGuardTest, once in a CI run).
     */
    void beforeLastBytes(Runnable action) {
        this.beforeLastBytes = action;
    }

    /** A response header set so far, or null. */
    String responseHeader(String name) {
        return http.getResponseHeaders().getFirst(name);
    }

    void setHeader(String name, String value) {
        http.getResponseHeaders().set(name, value);
    }

    void setHeaders(Map<String, String> headers) {
        headers.forEach(this::setHeader);
    }

    /** Headers set last, just before the status line goes out, so they win over any default of the dialect. */
    void overrideHeaders(Map<String, String> headers) {
        overrides = Map.copyOf(headers);
    }

    private void sendHeaders(int status, long length) throws IOException {
        setHeaders(overrides);
        http.sendResponseHeaders(status, length);
    }

    void sendJson(int status, JsonNode node) throws IOException {
        send(status, JSON, mapper.writeValueAsBytes(node));
    }

    void send(int status, String contentType, byte[] bytes) throws IOException {
        http.getResponseHeaders().set("Content-Type", contentType);
        if (bytes.length == 0) {
            beforeLastBytes.run();
        }
        sendHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            beforeLastBytes.run();
            try (OutputStream out = http.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    void sendEmpty(int status) throws IOException {
        beforeLastBytes.run();
        sendHeaders(status, -1);
    }

    /** Starts a chunked {@code text/event-stream} answer with {@code status}. */
    EventStream openStream(int status, Pacing pacing, Duration eventDelay) throws IOException {
        http.getResponseHeaders().set("Content-Type", EVENT_STREAM);
        http.getResponseHeaders().set("Cache-Control", "no-cache");
        sendHeaders(status, 0);
        return new EventStream(http.getResponseBody(), pacing, eventDelay, beforeLastBytes);
    }

    /** Drops the connection without answering: HttpServer closes the socket when no headers were sent. */
    void abort() {
        http.close();
    }

    String json(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    /** Writes already-framed server-sent events. */
    static final class EventStream implements AutoCloseable {
        private final OutputStream out;
        private final Pacing pacing;
        private final Duration eventDelay;
        private final Runnable beforeClose;
        private boolean first = true;

        private EventStream(OutputStream out, Pacing pacing, Duration eventDelay, Runnable beforeClose) {
            this.out = out;
            this.beforeClose = beforeClose;
            this.pacing = pacing;
            this.eventDelay = eventDelay;
        }

        /** Writes one event; false when the simulator is closing and the stream should stop. */
        boolean write(String framedEvent) throws IOException {
            boolean paced = !eventDelay.isZero();
            if (paced && !first && !pacing.pause(eventDelay)) {
                return false;
            }
            first = false;
            out.write(framedEvent.getBytes(StandardCharsets.UTF_8));
            if (paced) {
                // Unpaced streams are flushed once at the end: cheaper, and the client cannot tell the difference.
                out.flush();
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            // Unpaced events are still buffered: closing writes them and the chunked trailer.
            beforeClose.run();
            out.close();
        }
    }
}
