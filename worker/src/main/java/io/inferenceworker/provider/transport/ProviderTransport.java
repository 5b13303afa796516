package io.inferenceworker.provider.transport;

import io.inferenceworker.provider.ProviderException;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP for every provider adapter: JSON POSTs (and status-poll GETs) over the JDK {@link HttpClient} (HTTP/1.1,
 * virtual-thread executor, redirects never followed so the API key never reaches another host), each bounded by its
 * attempt's deadline.
 *
 * <p>One client per distinct connect timeout (normally just one), shared by all instances. The deadline bounds the
 * whole exchange: the time left is the request timeout until the headers arrive, and a watchdog cuts a body still
 * being read at the deadline (see {@link HttpStream}). Failures become {@link ProviderException.Retryable}:
 * {@code connection_failed} (refused, reset, connect timeout), {@code timeout} (deadline reached), {@code interrupted}
 * (the calling thread was interrupted; its interrupt flag is kept). Messages name the URI and the failure, never a
 * header value. Defaults: bodies up to {@value #DEFAULT_MAX_BODY_CHARS} characters, stream lines up to
 * {@value #DEFAULT_MAX_LINE_CHARS}; the clock is the {@link Clock} bean, else the UTC system clock.
 *
 * <p>Thread-safe.
 */
@Singleton
public final class ProviderTransport implements AutoCloseable {
    public static final int DEFAULT_MAX_BODY_CHARS = 16 * 1024 * 1024;
    public static final int DEFAULT_MAX_LINE_CHARS = 4 * 1024 * 1024;

    private final Clock clock;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledThreadPoolExecutor watchdogs;
    private final ConcurrentMap<Duration, HttpClient> clients = new ConcurrentHashMap<>();

    public ProviderTransport(@Nullable Clock clock) {
        this.clock = clock == null ? Clock.systemUTC() : clock;
        this.watchdogs = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("provider-deadline-", 0).factory());
        this.watchdogs.setRemoveOnCancelPolicy(true);
    }

    /** The clock deadlines are measured against. */
    public Clock clock() {
        return clock;
    }

    /**
     * POSTs and reads the whole answer, whatever its status.
     *
     * @throws ProviderException.Retryable when no complete answer arrived before the deadline
     */
    public HttpReply send(HttpCall call) {
        try (HttpStream stream = exchange(acceptingJson(call), true)) {
            return new HttpReply(stream.status(), stream.headers(), stream.readBody());
        }
    }

    /**
     * GETs {@code call.uri()} with the call's headers (its body is not sent) and reads the whole answer, whatever its
     * status; for status polls such as NVIDIA's 202 results. Bounded by the call's deadline like {@link #send}.
     *
     * @throws ProviderException.Retryable when no complete answer arrived before the deadline
     */
    public HttpReply get(HttpCall call) {
        try (HttpStream stream = exchange(acceptingJson(call), false)) {
            return new HttpReply(stream.status(), stream.headers(), stream.readBody());
        }
    }

    private static HttpCall acceptingJson(HttpCall call) {
        return call.headers().keySet().stream().anyMatch("accept"::equalsIgnoreCase)
                ? call : call.withHeader("Accept", "application/json");
    }

    /**
     * POSTs and returns as soon as the headers arrived; read the body from the returned stream and close it.
     *
     * @throws ProviderException.Retryable when no headers arrived before the deadline
     */
    public HttpStream open(HttpCall call) {
        return exchange(call, true);
    }

    private HttpStream exchange(HttpCall call, boolean post) {
        Duration timeLeft = Duration.between(clock.instant(), call.deadline());
        if (timeLeft.isNegative() || timeLeft.isZero()) {
            throw ProviderException.of(call.context(), "timeout", "attempt deadline passed before the request was sent")
                    .retryable();
        }
        HttpRequest request = build(call, timeLeft, post);
        CompletableFuture<HttpResponse<InputStream>> future =
                clientFor(call.connectTimeout()).sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response = await(call, future, timeLeft);
        return new HttpStream(call.context(), response.statusCode(), response.headers(), response.body(), watchdogs,
                Duration.between(clock.instant(), call.deadline()), DEFAULT_MAX_LINE_CHARS, DEFAULT_MAX_BODY_CHARS);
    }

    private HttpRequest build(HttpCall call, Duration timeLeft, boolean post) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(call.uri()).timeout(timeLeft);
        if (post) {
            builder.POST(new ByteArrayBody(call.body()));
        } else {
            builder.GET();
        }
        boolean hasContentType = !post; // a GET has no body to describe
        for (var header : call.headers().entrySet()) {
            hasContentType |= header.getKey().equalsIgnoreCase("content-type");
            try {
                builder.header(header.getKey(), header.getValue());
            } catch (IllegalArgumentException e) {
                // The JDK's message may quote the value, which can be a secret: report the header name only.
                throw ProviderException.of(call.context(), "invalid_configuration",
                        "header " + header.getKey() + " has a value HTTP does not allow").terminal();
            }
        }
        if (!hasContentType) {
            builder.header("Content-Type", "application/json");
        }
        return builder.build();
    }

    private HttpResponse<InputStream> await(HttpCall call, CompletableFuture<HttpResponse<InputStream>> future,
                                            Duration timeLeft) {
        try {
            return future.get(timeLeft.toMillis() + 1, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw timeout(call, e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw ProviderException.of(call.context(), "interrupted", "interrupted while waiting for " + call.uri())
                    .withCause(e).retryable();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpConnectTimeoutException) {
                throw ProviderException.of(call.context(), "connection_failed",
                        "could not connect to " + call.uri() + " within " + call.connectTimeout()).withCause(cause)
                        .retryable();
            }
            if (cause instanceof HttpTimeoutException) {
                throw timeout(call, cause);
            }
            String what = cause instanceof ConnectException ? "could not connect to " : "connection failed to ";
            String detail = cause instanceof IOException && cause.getMessage() != null
                    ? cause.getClass().getSimpleName() + ": " + cause.getMessage()
                    : cause.getClass().getSimpleName();
            throw ProviderException.of(call.context(), "connection_failed", what + call.uri() + " (" + detail + ")")
                    .withCause(cause).retryable();
        }
    }

    private static ProviderException timeout(HttpCall call, Throwable cause) {
        return ProviderException.of(call.context(), "timeout",
                "no response from " + call.uri() + " before the attempt deadline").withCause(cause).retryable();
    }

    private HttpClient clientFor(Duration connectTimeout) {
        return clients.computeIfAbsent(connectTimeout, timeout -> HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .executor(executor)
                .build());
    }

    /** Aborts open exchanges and stops the threads. */
    @PreDestroy
    @Override
    public void close() {
        clients.values().forEach(HttpClient::shutdownNow);
        clients.clear();
        watchdogs.shutdownNow();
        executor.shutdownNow();
    }
}
