package io.inferenceworker.ops;

import io.inferenceworker.config.SchemaRegistrySettings;
import io.inferenceworker.serde.RegistryProbe;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;
import org.reactivestreams.Publisher;

/**
 * Readiness, Schema Registry: {@code GET {url}/subjects} answers 200 within {@code ops.health-timeout}, asked by the
 * serde's own {@link RegistryProbe}, so with exactly its authentication and TLS. With several URLs, one answering is
 * enough.
 *
 * <p>Details show the URL without its user info and the HTTP status or the error's type: never credentials, nor the
 * registry's answer. Unusable settings are reported with the serde's message, which names the key and never a secret
 * value. Thread-safe and non-blocking; the probe is built on the first check and closed with the context.
 */
@Singleton
@Readiness
final class SchemaRegistryReadinessIndicator implements HealthIndicator {
    static final String NAME = "schemaRegistry";

    private final SchemaRegistrySettings settings;
    private final Duration timeout;
    private RegistryProbe probe;
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
        RegistryProbe registry;
        try {
            synchronized (this) {
                if (closed) {
                    return CompletableFuture.completedFuture(
                            result(HealthStatus.DOWN, Map.of("error", "the worker is shutting down")));
                }
                if (probe == null) {
                    probe = RegistryProbe.of(settings.serdeProperties(), timeout);
                }
                registry = probe;
            }
        } catch (ConfigException e) {
            return CompletableFuture.completedFuture(result(HealthStatus.DOWN, Map.of("error", e.getMessage())));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(result(HealthStatus.DOWN,
                    Map.of("error", e.getClass().getSimpleName())));
        }
        return probe(registry, 0);
    }

    private CompletableFuture<HealthResult> probe(RegistryProbe registry, int i) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("url", registry.url(i));
        CompletableFuture<HealthResult> answer = registry.subjectsStatus(i)
                .orTimeout(timeout.toMillis() + 500, TimeUnit.MILLISECONDS)
                .handle((status, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        // Only the type: a client's message may quote a header or a URL with credentials.
                        details.put("error", cause.getClass().getSimpleName());
                        return result(HealthStatus.DOWN, details);
                    }
                    details.put("httpStatus", status);
                    return result(status == 200 ? HealthStatus.UP : HealthStatus.DOWN, details);
                });
        if (i + 1 == registry.size()) {
            return answer;
        }
        return answer.thenCompose(r -> r.getStatus().equals(HealthStatus.UP)
                ? CompletableFuture.completedFuture(r) : probe(registry, i + 1));
    }

    private static HealthResult result(HealthStatus status, Map<String, ?> details) {
        return HealthResult.builder(NAME, status).details(details).build();
    }

    @PreDestroy
    synchronized void close() {
        closed = true;
        if (probe != null) {
            probe.close();
            probe = null;
        }
    }
}
