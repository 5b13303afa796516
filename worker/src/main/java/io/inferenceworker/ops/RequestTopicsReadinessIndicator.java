package io.inferenceworker.ops;

import io.inferenceworker.config.KafkaSettings;
import io.inferenceworker.config.TopicSettings;
import io.inferenceworker.config.WorkerSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.reactivestreams.Publisher;

/**
 * Readiness, request topics: every topic the worker reads requests from ({@code topics.requests}, or each of
 * {@code topics.request-priorities}) exists and, when the broker reports authorized operations (it does when an
 * authorizer is configured), grants READ. Why: a consumer subscribed to a topic that does not exist just waits, so a
 * misspelt priority topic would go unread without a word; with this the worker is not ready and the details name it.
 *
 * <p>The check is {@link TopicAccessCheck}'s, within {@code ops.health-timeout}; an UP result is kept for
 * {@code ops.output-topics-refresh}, as for the output topics.
 *
 * <p>Present only when the intake is enabled. Details name topics and error types, never client configuration.
 * Thread-safe and non-blocking.
 */
@Singleton
@Readiness
@Requires(property = "worker.enabled", notEquals = "false")
final class RequestTopicsReadinessIndicator implements HealthIndicator {
    static final String NAME = "requestTopics";

    private final TopicAccessCheck check;

    @Inject
    RequestTopicsReadinessIndicator(KafkaSettings kafka, WorkerSettings worker, TopicSettings topics,
                                    OpsSettings settings, Clock clock) {
        this.check = new TopicAccessCheck(NAME, kafka, worker.getId() + "-request-topics-health",
                List.copyOf(topics.requestTopics().keySet()), AclOperation.READ, "notReadable",
                settings.getHealthTimeout(), settings.getOutputTopicsRefresh(), clock);
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
