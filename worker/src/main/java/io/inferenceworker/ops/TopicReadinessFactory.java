package io.inferenceworker.ops;

import io.inferenceworker.config.KafkaSettings;
import io.inferenceworker.config.TopicSettings;
import io.inferenceworker.config.WorkerSettings;
import io.inferenceworker.feedback.VotesSettings;
import io.inferenceworker.publish.Destinations;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;

/**
 * The readiness checks of the worker's topics, each a {@link TopicAccessCheck}, present only when the intake is
 * enabled:
 * <ul>
 *   <li>{@value #OUTPUT_TOPICS}: every topic the worker writes to exists and grants WRITE — results, usage, chunks
 *       (the default ones and every tenant's, {@code tenants.<name>.topics}), dead letters, and the votes topic when
 *       votes are enabled. Topics a request names itself ({@code results_topic} ...) are not known in advance and are
 *       not checked. Without it a missing topic or ACL shows only as jobs that cannot publish, each dead-lettered
 *       after {@code worker.publish-timeout}; with it the worker is not ready from the start and the details name the
 *       topics ({@code missing}, {@code notWritable}).</li>
 *   <li>{@value #REQUEST_TOPICS}: every topic requests are read from ({@code topics.requests}, or each of
 *       {@code topics.request-priorities}) exists and grants READ. A consumer subscribed to a topic that does not
 *       exist just waits, so a misspelt priority topic would go unread without a word ({@code missing},
 *       {@code notReadable}).</li>
 * </ul>
 * Each check runs within {@code ops.health-timeout}; an UP result is kept for {@code ops.output-topics-refresh}.
 */
@Factory
class TopicReadinessFactory {
    static final String OUTPUT_TOPICS = "outputTopics";
    static final String REQUEST_TOPICS = "requestTopics";

    @Singleton
    @Readiness
    @Named(OUTPUT_TOPICS)
    @Requires(property = "worker.enabled", notEquals = "false")
    @Bean(preDestroy = "close")
    TopicAccessCheck outputTopics(KafkaSettings kafka, WorkerSettings worker, TopicSettings topics,
                                  Destinations destinations, VotesSettings votes, OpsSettings settings, Clock clock) {
        return outputTopicsCheck(kafka, worker.getId() + "-topics-health",
                outputTopics(destinations, topics, votes.isEnabled()), settings.getHealthTimeout(),
                settings.getOutputTopicsRefresh(), clock);
    }

    @Singleton
    @Readiness
    @Named(REQUEST_TOPICS)
    @Requires(property = "worker.enabled", notEquals = "false")
    @Bean(preDestroy = "close")
    TopicAccessCheck requestTopics(KafkaSettings kafka, WorkerSettings worker, TopicSettings topics,
                                   OpsSettings settings, Clock clock) {
        return new TopicAccessCheck(REQUEST_TOPICS, kafka, worker.getId() + "-request-topics-health",
                List.copyOf(topics.requestTopics().keySet()), AclOperation.READ, "notReadable",
                settings.getHealthTimeout(), settings.getOutputTopicsRefresh(), clock);
    }

    /** The output-topics check of {@code topics}. */
    static TopicAccessCheck outputTopicsCheck(KafkaSettings kafka, String clientId, List<String> topics,
                                              Duration timeout, Duration refresh, Clock clock) {
        return new TopicAccessCheck(OUTPUT_TOPICS, kafka, clientId, topics, AclOperation.WRITE, "notWritable",
                timeout, refresh, clock);
    }

    static List<String> outputTopics(Destinations destinations, TopicSettings topics, boolean votesEnabled) {
        Set<String> names = new LinkedHashSet<>(destinations.configuredTopics());
        names.add(topics.getDeadLetters());
        if (votesEnabled) {
            names.add(topics.getVotes());
        }
        return List.copyOf(names);
    }
}
