package io.inferenceworker.ops;

import io.inferenceworker.config.KafkaSettings;
import io.inferenceworker.config.LazyAdmin;
import io.inferenceworker.config.TopicSettings;
import io.inferenceworker.config.WorkerSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness, request topics: every topic the worker reads requests from ({@code topics.requests}, or each of
 * {@code topics.request-priorities}) exists and, when the broker reports authorized operations (it does when an
 * authorizer is configured), grants READ. Why: a consumer subscribed to a topic that does not exist just waits, so a
 * misspelt priority topic would go unread without a word; with this the worker is not ready and the details name it.
 *
 * <p>One {@code describeTopics} with {@code includeAuthorizedOperations} per check, within {@code ops.health-timeout}.
 * An UP result is kept for {@code ops.output-topics-refresh} (as for the output topics); a DOWN one is not kept.
 *
 * <p>Present only when the intake is enabled. Details name topics and error types, never client configuration.
 * Thread-safe and non-blocking.
 */
@Singleton
@Readiness
@Requires(property = "worker.enabled", notEquals = "false")
final class RequestTopicsReadinessIndicator implements HealthIndicator {
    static final String NAME = "requestTopics";
    private static final Logger LOG = LoggerFactory.getLogger(RequestTopicsReadinessIndicator.class);

    private final List<String> topics;
    private final Duration timeout;
    private final Duration refresh;
    private final Clock clock;
    private final LazyAdmin admin;
    private HealthResult lastUp;
    private Instant lastUpAt = Instant.MIN;

    @Inject
    RequestTopicsReadinessIndicator(KafkaSettings kafka, WorkerSettings worker, TopicSettings topics,
                                    OpsSettings settings, Clock clock) {
        // a check still pending at shutdown is worthless: closing never waits for it
        this.admin = new LazyAdmin(kafka, worker.getId() + "-request-topics-health", Duration.ZERO);
        this.topics = List.copyOf(topics.requestTopics().keySet());
        this.timeout = Objects.requireNonNull(settings.getHealthTimeout(), "timeout");
        this.refresh = Objects.requireNonNull(settings.getOutputTopicsRefresh(), "refresh");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.fromCompletableFuture(this::check);
    }

    CompletableFuture<HealthResult> check() {
        synchronized (this) {
            if (lastUp != null && clock.instant().isBefore(lastUpAt.plus(refresh))) {
                return CompletableFuture.completedFuture(lastUp);
            }
        }
        try {
            Admin client = admin.get().orElseThrow(() -> new IllegalStateException("the worker is shutting down"));
            Map<String, KafkaFuture<TopicDescription>> described = client.describeTopics(topics,
                    new DescribeTopicsOptions().includeAuthorizedOperations(true).timeoutMs((int) timeout.toMillis()))
                    .topicNameValues();
            return KafkaFuture.allOf(described.values().toArray(KafkaFuture[]::new))
                    .toCompletionStage().toCompletableFuture()
                    .handle((ignored, error) -> judge(described))
                    .thenApply(this::remember);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(down(Map.of("error", e.getClass().getSimpleName())));
        }
    }

    private HealthResult judge(Map<String, KafkaFuture<TopicDescription>> described) {
        List<String> missing = new ArrayList<>();
        List<String> notReadable = new ArrayList<>();
        String error = null;
        for (Map.Entry<String, KafkaFuture<TopicDescription>> e : described.entrySet()) {
            try {
                Set<AclOperation> allowed = e.getValue().get().authorizedOperations();
                if (allowed != null && !allowed.contains(AclOperation.READ) && !allowed.contains(AclOperation.ALL)) {
                    notReadable.add(e.getKey());
                }
            } catch (ExecutionException | CompletionException x) {
                Throwable cause = x.getCause() == null ? x : x.getCause();
                if (cause instanceof UnknownTopicOrPartitionException) {
                    missing.add(e.getKey());
                } else if (cause instanceof TopicAuthorizationException) {
                    notReadable.add(e.getKey());
                } else {
                    error = cause.getClass().getSimpleName();
                }
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                error = "InterruptedException";
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("topics", topics);
        if (!missing.isEmpty()) {
            details.put("missing", missing);
        }
        if (!notReadable.isEmpty()) {
            details.put("notReadable", notReadable);
        }
        if (error != null) {
            details.put("error", error);
        }
        if (missing.isEmpty() && notReadable.isEmpty() && error == null) {
            return HealthResult.builder(NAME, HealthStatus.UP).details(details).build();
        }
        if (!missing.isEmpty() || !notReadable.isEmpty()) {
            LOG.warn("Request topics not ready: missing {}, not readable {}", missing, notReadable);
        }
        return down(details);
    }

    private synchronized HealthResult remember(HealthResult result) {
        if (result.getStatus() == HealthStatus.UP) {
            lastUp = result;
            lastUpAt = clock.instant();
        } else {
            lastUp = null;
        }
        return result;
    }

    private static HealthResult down(Map<String, Object> details) {
        return HealthResult.builder(NAME, HealthStatus.DOWN).details(details).build();
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
