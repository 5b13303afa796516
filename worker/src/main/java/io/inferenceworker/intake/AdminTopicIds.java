package io.inferenceworker.intake;

import io.inferenceworker.config.KafkaSettings;
import io.inferenceworker.config.LazyAdmin;
import io.inferenceworker.config.WorkerSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
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

    private final LazyAdmin admin;

    public AdminTopicIds(KafkaSettings kafka, WorkerSettings worker) {
        this.admin = new LazyAdmin(kafka, worker.getId() + "-topic-ids", CLOSE_TIMEOUT);
    }

    @Override
    public Optional<Uuid> lookup(String topic) {
        Admin client = admin.get().orElse(null);
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

    @PreDestroy
    void close() {
        admin.close();
    }
}
