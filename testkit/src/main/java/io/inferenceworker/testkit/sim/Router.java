package io.inferenceworker.testkit.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's only handler: counts and records each request, applies the dialect's latency, and hands the request
 * to the dialect its first path segment names. {@code GET /} lists the dialects' base URLs. Thread-safe.
 */
final class Router implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final SimContext context;
    private final Map<Dialect, ChatDialect> dialects;
    private final Metrics metrics;
    private final RequestLog log;
    private final ObjectNode index;

    /** @param log the request log, or {@code null} when recording is off */
    Router(SimContext context, Map<Dialect, ChatDialect> dialects, Metrics metrics, RequestLog log, ObjectNode index) {
        this.context = context;
        this.dialects = Map.copyOf(dialects);
        this.metrics = metrics;
        this.log = log;
        this.index = index;
    }

    @Override
    public void handle(HttpExchange http) {
        metrics.requestStarted();
        Runnable ended = new Runnable() {
            private boolean done;

            @Override
            public void run() {
                if (!done) {
                    done = true;
                    metrics.requestEnded();
                }
            }
        };
        try {
            route(http, ended);
        } catch (IOException e) {
            LOG.debug("Connection lost while answering {} {}: {}", http.getRequestMethod(), http.getRequestURI(),
                    e.toString());
        } catch (RuntimeException e) {
            LOG.warn("Simulator failure on {} {}", http.getRequestMethod(), http.getRequestURI().getRawPath(), e);
            failIfUnanswered(http, e);
        } finally {
            ended.run();
            http.close();
        }
    }

    private void route(HttpExchange http, Runnable ended) throws IOException {
        byte[] raw = http.getRequestBody().readAllBytes();
        String path = http.getRequestURI().getRawPath();
        int slash = path.indexOf('/', 1);
        String segment = slash < 0 ? path.substring(1) : path.substring(1, slash);
        Optional<Dialect> dialect = Dialect.fromPathSegment(segment);
        if (dialect.isEmpty()) {
            answerOutsideDialects(http, path);
            return;
        }
        ChatDialect handler = dialects.get(dialect.get());
        SimExchange exchange = new SimExchange(http, context.json(), dialect.get(), slash < 0 ? "" : path.substring(slash),
                raw, parse(raw));
        exchange.beforeLastBytes(ended);
        exchange.model(handler.scenarioKey(exchange));
        metrics.countFor(dialect.get(), exchange.model());
        if (log != null) {
            log.add(record(http, exchange, raw));
        }
        handler.addStandardHeaders(exchange);
        if (!context.pacing().awaitLatency(dialect.get())) {
            exchange.abort();
            return;
        }
        handler.handle(exchange);
    }

    private JsonNode parse(byte[] raw) {
        if (raw.length == 0) {
            return null;
        }
        try {
            JsonNode node = context.json().readTree(raw);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JsonProcessingException e) {
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read an in-memory body", e);
        }
    }

    private RecordedRequest record(HttpExchange http, SimExchange exchange, byte[] raw) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        http.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
        JsonNode body = exchange.body() == null ? MissingNode.getInstance() : exchange.body();
        return new RecordedRequest(http.getRequestMethod(), exchange.path(), exchange.rawQuery(),
                Collections.unmodifiableMap(headers), body, new String(raw, StandardCharsets.UTF_8),
                exchange.dialect(), exchange.model(), context.config().clock().instant());
    }

    private void answerOutsideDialects(HttpExchange http, String path) throws IOException {
        boolean root = path.equals("/") && http.getRequestMethod().equals("GET");
        byte[] body = root ? context.json().writeValueAsBytes(index)
                : ("{\"error\":\"no dialect at " + path.replace("\"", "") + "\"}").getBytes(StandardCharsets.UTF_8);
        http.getResponseHeaders().set("Content-Type", SimExchange.JSON);
        http.sendResponseHeaders(root ? 200 : 404, body.length);
        http.getResponseBody().write(body);
    }

    private static void failIfUnanswered(HttpExchange http, RuntimeException failure) {
        if (http.getResponseCode() != -1) {
            return;
        }
        byte[] body = ("simulator failure: " + failure).getBytes(StandardCharsets.UTF_8);
        try {
            http.sendResponseHeaders(500, body.length);
            http.getResponseBody().write(body);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
