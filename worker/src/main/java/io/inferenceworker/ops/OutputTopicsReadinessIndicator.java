package io.inferenceworker.ops;

import io.inferenceworker.config.KafkaSettings;
import io.inferenceworker.config.LazyAdmin;
import io.inferenceworker.config.TopicSettings;
import io.inferenceworker.config.WorkerSettings;
import io.inferenceworker.feedback.VotesSettings;
import io.inferenceworker.publish.Destinations;
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
import java.util.LinkedHashSet;
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
 * Readiness, output topics: every topic the worker writes to exists and, when the broker reports authorized
 * operations (it does when an authorizer is configured), grants WRITE: results, usage, chunks (the default ones and
 * every tenant's, {@code tenants.<name>.topics}), dead letters, and the votes topic when votes are enabled. Topics a
 * request names itself ({@code results_topic} ...) are not known in advance and are not checked. Without this a missing topic or ACL shows only as jobs that cannot publish,
 * each dead-lettered after {@code worker.publish-timeout}; with it the worker is not ready from the start and the
 * details name the topics.
 *
 * <p>One {@code describeTopics} with {@code includeAuthorizedOperations} per check, within {@code ops.health-timeout}.
 * An UP result is kept for {@code ops.output-topics-refresh} (topics rarely disappear, and probes come every few
 * seconds); a DOWN one is not kept, so readiness returns as soon as the topics exist.
 *
 * <p>Present only when the intake is enabled. Details name topics and error types, never client configuration.
 * Thread-safe and non-blocking.
 */
@Singleton
@Readiness
@Requires(property = "worker.enabled", notEquals = "false")
final class OutputTopicsReadinessIndicator implements HealthIndicator {
    static final String NAME = "outputTopics";
    private static final Logger LOG = LoggerFactory.getLogger(OutputTopicsReadinessIndicator.class);

    private final List<String> topics;
    private final Duration timeout;
    private final Duration refresh;
    private final Clock clock;
    private final LazyAdmin admin;
    private HealthResult lastUp;
    private Instant lastUpAt = Instant.MIN;

    @Inject
    OutputTopicsReadinessIndicator(KafkaSettings kafka, WorkerSettings worker, TopicSettings topics,
                                   Destinations destinations, VotesSettings votes, OpsSettings settings, Clock clock) {
        this(kafka, worker.getId() + "-topics-health", outputTopics(destinations, topics, votes.isEnabled()),
                settings.getHealthTimeout(), settings.getOutputTopicsRefresh(), clock);
    }

    OutputTopicsReadinessIndicator(KafkaSettings kafka, String clientId, List<String> topics, Duration timeout,
                                   Duration refresh, Clock clock) {
        // a check still pending at shutdown is worthless: closing never waits for it
        this.admin = new LazyAdmin(kafka, Objects.requireNonNull(clientId, "clientId"), Duration.ZERO);
        this.topics = List.copyOf(topics);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.refresh = Objects.requireNonNull(refresh, "refresh");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    static List<String> outputTopics(Destinations destinations, TopicSettings topics, boolean votesEnabled) {
        Set<String> names = new LinkedHashSet<>(destinations.configuredTopics());
        names.add(topics.getDeadLetters());
        if (votesEnabled) {
            names.add(topics.getVotes());
        }
        return List.copyOf(names);
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
            Map<String, KafkaFuture<TopicDescription>> described = admin().describeTopics(topics,
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
        List<String> notWritable = new ArrayList<>();
        String error = null;
        for (Map.Entry<String, KafkaFuture<TopicDescription>> e : described.entrySet()) {
            try {
                Set<AclOperation> allowed = e.getValue().get().authorizedOperations();
                if (allowed != null && !allowed.contains(AclOperation.WRITE) && !allowed.contains(AclOperation.ALL)) {
                    notWritable.add(e.getKey());
                }
            } catch (ExecutionException | CompletionException x) {
                Throwable cause = x.getCause() == null ? x : x.getCause();
                if (cause instanceof UnknownTopicOrPartitionException) {
                    missing.add(e.getKey());
                } else if (cause instanceof TopicAuthorizationException) {
                    notWritable.add(e.getKey());
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
        if (!notWritable.isEmpty()) {
            details.put("notWritable", notWritable);
        }
        if (error != null) {
            details.put("error", error);
        }
        if (missing.isEmpty() && notWritable.isEmpty() && error == null) {
            return HealthResult.builder(NAME, HealthStatus.UP).details(details).build();
        }
        if (!missing.isEmpty() || !notWritable.isEmpty()) {
            LOG.warn("Output topics not ready: missing {}, not writable {}", missing, notWritable);
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

    private Admin admin() {
        return admin.get().orElseThrow(() -> new IllegalStateException("the worker is shutting down"));
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
