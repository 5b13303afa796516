package io.inferenceworker.ops;

import io.inferenceworker.config.SchemaRegistrySettings;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Publisher;

/**
 * Readiness, Schema Registry: {@code GET {url}/subjects} answers 200 within {@code ops.health-timeout}, with the
 * serde's authentication and TLS ({@link RegistryAccess}). With several URLs, one answering is enough.
 *
 * <p>Details show the URL without its user info and the HTTP status or the error's type: never credentials, nor the
 * registry's answer. Thread-safe and non-blocking; the HTTP client is built on the first check and closed with the
 * context.
 */
@Singleton
@Readiness
final class SchemaRegistryReadinessIndicator implements HealthIndicator {
    static final String NAME = "schemaRegistry";

    private final SchemaRegistrySettings settings;
    private final Duration timeout;
    private RegistryAccess access;
    private HttpClient client;
    private boolean closed;

    SchemaRegistryReadinessIndicator(SchemaRegistrySettings settings, OpsSettings ops) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.timeout = ops.getHealthTimeout();
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.fromCompletableFuture(this::check);
    }

    CompletableFuture<HealthResult> check() {
        RegistryAccess registry;
        HttpClient http;
        try {
            synchronized (this) {
                if (closed) {
                    return CompletableFuture.completedFuture(
                            result(HealthStatus.DOWN, Map.of("error", "the worker is shutting down")));
                }
                if (access == null) {
                    access = RegistryAccess.of(settings.getUrl(), settings.getProperties());
                }
                if (client == null) {
                    client = access.newClient(timeout);
                }
                registry = access;
                http = client;
            }
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(result(HealthStatus.DOWN, Map.of("error", describe(e))));
        }
        return probe(registry, http, registry.urls(), 0);
    }

    private CompletableFuture<HealthResult> probe(RegistryAccess registry, HttpClient http, List<URI> urls, int i) {
        URI url = urls.get(i);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("url", RegistryAccess.display(url));
        CompletableFuture<HealthResult> answer;
        try {
            answer = http.sendAsync(registry.subjectsRequest(url, timeout), HttpResponse.BodyHandlers.discarding())
                    .orTimeout(timeout.toMillis() + 500, TimeUnit.MILLISECONDS)
                    .handle((response, error) -> {
                        if (error != null) {
                            Throwable cause = error instanceof CompletionException && error.getCause() != null
                                    ? error.getCause() : error;
                            details.put("error", describe(cause));
                            return result(HealthStatus.DOWN, details);
                        }
                        details.put("httpStatus", response.statusCode());
                        return result(response.statusCode() == 200 ? HealthStatus.UP : HealthStatus.DOWN, details);
                    });
        } catch (RuntimeException e) {
            details.put("error", describe(e));
            answer = CompletableFuture.completedFuture(result(HealthStatus.DOWN, details));
        }
        if (i + 1 == urls.size()) {
            return answer;
        }
        return answer.thenCompose(r -> r.getStatus().equals(HealthStatus.UP)
                ? CompletableFuture.completedFuture(r) : probe(registry, http, urls, i + 1));
    }

    /** Only messages written for the purpose are shown: others may quote a header or a URL with credentials. */
    private static String describe(Throwable error) {
        return error instanceof RegistryAccess.UnusableConfigurationException
                ? error.getMessage() : error.getClass().getSimpleName();
    }

    private static HealthResult result(HealthStatus status, Map<String, ?> details) {
        return HealthResult.builder(NAME, status).details(details).build();
    }

    @PreDestroy
    synchronized void close() {
        closed = true;
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
