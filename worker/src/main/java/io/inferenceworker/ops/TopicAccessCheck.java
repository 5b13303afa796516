package io.inferenceworker.ops;

import io.inferenceworker.config.KafkaSettings;
import io.inferenceworker.config.LazyAdmin;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
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
 * A readiness check of a set of topics, the output topics (WRITE) or the request topics (READ), built by
 * {@link TopicReadinessFactory}: each topic
 * exists and, when the broker reports authorized operations (it does when an authorizer is configured), grants the
 * operation the worker needs. Details: {@code topics}, and when DOWN {@code missing}, the topics lacking the operation
 * under the check's {@code deniedKey} ({@code notWritable}, {@code notReadable}), or {@code error} (an error type,
 * never client configuration).
 *
 * <p>One {@code describeTopics} with {@code includeAuthorizedOperations} per check, within the timeout. An UP result is
 * kept for the refresh period (topics rarely disappear, and probes come every few seconds); a DOWN one is not kept, so
 * readiness returns as soon as the topics are there. Thread-safe and non-blocking.
 */
final class TopicAccessCheck implements HealthIndicator {
    private static final Logger LOG = LoggerFactory.getLogger(TopicAccessCheck.class);

    private final String name;
    private final List<String> topics;
    private final AclOperation needed;
    private final String deniedKey;
    private final Duration timeout;
    private final Duration refresh;
    private final Clock clock;
    private final LazyAdmin admin;
    private HealthResult lastUp;
    private Instant lastUpAt = Instant.MIN;

    /**
     * @param name      the health indicator's name
     * @param clientId  the admin client's ID
     * @param needed    the operation each topic must grant
     * @param deniedKey the details key of the topics that do not grant it
     */
    TopicAccessCheck(String name, KafkaSettings kafka, String clientId, List<String> topics, AclOperation needed,
                     String deniedKey, Duration timeout, Duration refresh, Clock clock) {
        this.name = Objects.requireNonNull(name, "name");
        // a check still pending at shutdown is worthless: closing never waits for it
        this.admin = new LazyAdmin(kafka, Objects.requireNonNull(clientId, "clientId"), Duration.ZERO);
        this.topics = List.copyOf(topics);
        this.needed = Objects.requireNonNull(needed, "needed");
        this.deniedKey = Objects.requireNonNull(deniedKey, "deniedKey");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.refresh = Objects.requireNonNull(refresh, "refresh");
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

    void close() {
        admin.close();
    }

    private HealthResult judge(Map<String, KafkaFuture<TopicDescription>> described) {
        List<String> missing = new ArrayList<>();
        List<String> denied = new ArrayList<>();
        String error = null;
        for (Map.Entry<String, KafkaFuture<TopicDescription>> e : described.entrySet()) {
            try {
                Set<AclOperation> allowed = e.getValue().get().authorizedOperations();
                if (allowed != null && !allowed.contains(needed) && !allowed.contains(AclOperation.ALL)) {
                    denied.add(e.getKey());
                }
            } catch (ExecutionException | CompletionException x) {
                Throwable cause = x.getCause() == null ? x : x.getCause();
                if (cause instanceof UnknownTopicOrPartitionException) {
                    missing.add(e.getKey());
                } else if (cause instanceof TopicAuthorizationException) {
                    denied.add(e.getKey());
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
        if (!denied.isEmpty()) {
            details.put(deniedKey, denied);
        }
        if (error != null) {
            details.put("error", error);
        }
        if (missing.isEmpty() && denied.isEmpty() && error == null) {
            return HealthResult.builder(name, HealthStatus.UP).details(details).build();
        }
        if (!missing.isEmpty() || !denied.isEmpty()) {
            LOG.warn("{}: not ready: missing {}, {} {}", name, missing, deniedKey, denied);
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

    private HealthResult down(Map<String, Object> details) {
        return HealthResult.builder(name, HealthStatus.DOWN).details(details).build();
    }
}
