package io.inferenceworker.ops;

import io.inferenceworker.config.KafkaSettings;
import io.inferenceworker.config.TopicSettings;
import io.inferenceworker.config.WorkerSettings;
import io.inferenceworker.feedback.VotesSettings;
import io.inferenceworker.publish.Destinations;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.reactivestreams.Publisher;

/**
 * Readiness, output topics: every topic the worker writes to exists and, when the broker reports authorized
 * operations (it does when an authorizer is configured), grants WRITE: results, usage, chunks (the default ones and
 * every tenant's, {@code tenants.<name>.topics}), dead letters, and the votes topic when votes are enabled. Topics a
 * request names itself ({@code results_topic} ...) are not known in advance and are not checked. Without this a missing topic or ACL shows only as jobs that cannot publish,
 * each dead-lettered after {@code worker.publish-timeout}; with it the worker is not ready from the start and the
 * details name the topics.
 *
 * <p>The check is {@link TopicAccessCheck}'s, within {@code ops.health-timeout}; an UP result is kept for
 * {@code ops.output-topics-refresh}.
 *
 * <p>Present only when the intake is enabled. Details name topics and error types, never client configuration.
 * Thread-safe and non-blocking.
 */
@Singleton
@Readiness
@Requires(property = "worker.enabled", notEquals = "false")
final class OutputTopicsReadinessIndicator implements HealthIndicator {
    static final String NAME = "outputTopics";

    private final TopicAccessCheck check;

    @Inject
    OutputTopicsReadinessIndicator(KafkaSettings kafka, WorkerSettings worker, TopicSettings topics,
                                   Destinations destinations, VotesSettings votes, OpsSettings settings, Clock clock) {
        this(kafka, worker.getId() + "-topics-health", outputTopics(destinations, topics, votes.isEnabled()),
                settings.getHealthTimeout(), settings.getOutputTopicsRefresh(), clock);
    }

    OutputTopicsReadinessIndicator(KafkaSettings kafka, String clientId, List<String> topics, Duration timeout,
                                   Duration refresh, Clock clock) {
        this.check = new TopicAccessCheck(NAME, kafka, clientId, topics, AclOperation.WRITE, "notWritable", timeout,
                refresh, clock);
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
        return check.check();
    }

    @PreDestroy
    void close() {
        check.close();
    }
}
