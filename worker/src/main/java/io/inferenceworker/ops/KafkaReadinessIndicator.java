package io.inferenceworker.ops;

import io.inferenceworker.config.KafkaSettings;
import io.inferenceworker.config.LazyAdmin;
import io.inferenceworker.config.WorkerSettings;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.reactivestreams.Publisher;

/**
 * Readiness, Kafka: the cluster answers {@code describeCluster} within {@code ops.health-timeout}. Uses one admin
 * client, configured like every other client ({@code kafka.properties}, so with the same security settings), created
 * on the first check and closed with the context.
 *
 * <p>Details name the cluster ID and broker count, or the error's type; never the client configuration (it may hold
 * SASL credentials). Thread-safe and non-blocking: the result completes on the admin client's thread.
 */
@Singleton
@Readiness
final class KafkaReadinessIndicator implements HealthIndicator {
    static final String NAME = "kafka";

    private final Duration timeout;
    private final LazyAdmin admin;

    KafkaReadinessIndicator(KafkaSettings kafka, WorkerSettings worker, OpsSettings settings) {
        this.admin = new LazyAdmin(kafka, worker.getId() + "-health", Duration.ofSeconds(5));
        this.timeout = settings.getHealthTimeout();
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.fromCompletableFuture(this::check);
    }

    CompletableFuture<HealthResult> check() {
        try {
            DescribeClusterResult cluster = admin().describeCluster(
                    new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
            CompletableFuture<String> id = cluster.clusterId().toCompletionStage().toCompletableFuture();
            return cluster.nodes().toCompletionStage().toCompletableFuture()
                    .thenCombine(id, (nodes, clusterId) -> {
                        Map<String, Object> details = new LinkedHashMap<>();
                        details.put("clusterId", clusterId);
                        details.put("brokers", nodes.size());
                        return HealthResult.builder(NAME, nodes.isEmpty() ? HealthStatus.DOWN : HealthStatus.UP)
                                .details(details).build();
                    })
                    .exceptionally(KafkaReadinessIndicator::down);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(down(e));
        }
    }

    private static HealthResult down(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return HealthResult.builder(NAME, HealthStatus.DOWN)
                .details(Map.of("error", cause.getClass().getSimpleName()))
                .build();
    }

    private Admin admin() {
        return admin.get().orElseThrow(() -> new IllegalStateException("the worker is shutting down"));
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
