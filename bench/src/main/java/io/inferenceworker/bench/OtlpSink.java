package io.inferenceworker.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in OpenTelemetry collector: accepts OTLP/HTTP exports ({@code POST /v1/traces}, protobuf) and answers 200
 * with an empty {@code ExportTraceServiceResponse}, counting requests and bytes. Lets the benchmark measure what
 * exporting spans costs the worker (batching, encoding, sending) without a collector on the host.
 *
 * <p>Thread-safe.
 */
final class OtlpSink implements AutoCloseable {
    /** In a scenario's worker properties, replaced by the sink's base URL. */
    static final String PLACEHOLDER = "{otlp-sink}";

    private final HttpServer server;
    private final AtomicLong exports = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    private OtlpSink(HttpServer server) {
        this.server = server;
    }

    static OtlpSink start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            OtlpSink sink = new OtlpSink(server);
            server.createContext("/v1/", exchange -> {
                try (InputStream body = exchange.getRequestBody()) {
                    sink.bytes.addAndGet(body.transferTo(java.io.OutputStream.nullOutputStream()));
                }
                sink.exports.incrementAndGet();
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return sink;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the OTLP sink", e);
        }
    }

    /** The OTLP/HTTP endpoint ({@code OTEL_EXPORTER_OTLP_ENDPOINT}): the exporter appends {@code /v1/traces}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    long exports() {
        return exports.get();
    }

    long bytes() {
        return bytes.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
