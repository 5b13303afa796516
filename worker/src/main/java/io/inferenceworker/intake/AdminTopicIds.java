package io.inferenceworker.intake;

import io.inferenceworker.config.KafkaSettings;
import io.inferenceworker.config.WorkerSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TopicIds} through an admin client ({@code describeTopics}), created on first use with the worker's Kafka
 * client properties, so a worker that never asks (share-group intake) opens no connection. A lookup waits at most
 * {@link #LOOKUP_TIMEOUT}; closing waits at most {@link #CLOSE_TIMEOUT}.
 *
 * <p>Thread-safe.
 */
@Singleton
public class AdminTopicIds implements TopicIds {
    static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(AdminTopicIds.class);

    private final KafkaSettings kafka;
    private final String clientId;
    private Admin admin;
    private boolean closed;

    public AdminTopicIds(KafkaSettings kafka, WorkerSettings worker) {
        this.kafka = kafka;
        this.clientId = worker.getId() + "-topic-ids";
    }

    @Override
    public Optional<Uuid> lookup(String topic) {
        Admin client = admin();
        if (client == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(client.describeTopics(List.of(topic)).topicNameValues().get(topic)
                    .get(LOOKUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).topicId());
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("Topic ID of {} unknown ({}): completed offsets are neither written nor trusted for now", topic,
                    e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private synchronized Admin admin() {
        if (!closed && admin == null) {
            admin = Admin.create(kafka.clientProperties(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, clientId)));
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        closed = true;
        if (admin != null) {
            try {
                admin.close(CLOSE_TIMEOUT);
            } catch (RuntimeException e) {
                LOG.warn("Closing the topic ID lookup's admin client failed: {}", e.toString());
            }
            admin = null;
        }
    }
}
