package io.inferenceworker.intake;

import io.inferenceworker.config.KafkaClientBinder;
import io.inferenceworker.config.KafkaSettings;
import io.inferenceworker.config.TopicSettings;
import io.inferenceworker.config.WorkerSettings;
import io.inferenceworker.job.JobPipeline;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Builds the intake {@code worker.intake-mode} selects. Consumers read raw bytes: decoding happens on the job's
 * thread so a slow or unreachable registry never stalls the poll loop, and undecodable records can be dead-lettered
 * byte for byte. The group consumer's metrics (lag per partition among them) are published through
 * {@link KafkaClientBinder} ({@code ops.KafkaClientMeters}).
 */
@Factory
public class IntakeFactory {
    /** Kafka's default {@code group.share.record.lock.duration.ms}, until the first fetch tells the real one. */
    private static final Duration DEFAULT_LOCK = Duration.ofSeconds(30);
    private static final Duration DELIVERY_LIMIT_TIMEOUT = Duration.ofSeconds(5);

    @Singleton
    Intake intake(KafkaSettings kafka, TopicSettings topics, WorkerSettings worker, JobPipeline pipeline,
                  Clock clock, KafkaClientBinder meters, TopicIds topicIds) {
        IntakeLimits limits = new IntakeLimits(worker.getInFlightLimit(), worker.getInFlightBytesLimit(),
                worker.getCommitInterval());
        String mode = worker.getIntakeMode().toLowerCase(Locale.ROOT);
        Map<String, Integer> requestTopics = topics.requestTopics();
        return switch (mode) {
            case "group" -> new ConsumerGroupIntake(meters.bindConsumer(groupConsumer(kafka, worker)), pipeline,
                    requestTopics, kafka.getGroupId(), limits, topicIds, clock);
            case "share" -> new ShareGroupIntake(shareLanes(kafka, worker, requestTopics.keySet()), requestTopics,
                    pipeline, kafka.getGroupId(), limits, new ShareDeliveryLimit(kafka.clientProperties(Map.of()),
                    kafka.getGroupId(), DELIVERY_LIMIT_TIMEOUT), clock);
            default -> throw new IllegalArgumentException(
                    "worker.intake-mode must be 'group' or 'share', was '" + worker.getIntakeMode() + "'");
        };
    }

    private static KafkaConsumer<byte[], byte[]> groupConsumer(KafkaSettings kafka, WorkerSettings worker) {
        Map<String, String> defaults = new HashMap<>();
        defaults.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.getGroupId());
        defaults.put(ConsumerConfig.CLIENT_ID_CONFIG, worker.getId() + "-consumer");
        defaults.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        defaults.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        defaults.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        String protocol = kafka.getGroupProtocol().toLowerCase(Locale.ROOT);
        defaults.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        if ("classic".equals(protocol)) {
            defaults.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                    CooperativeStickyAssignor.class.getName());
        }
        defaults.putAll(kafka.getConsumer());
        return new KafkaConsumer<>(kafka.clientProperties(defaults), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /**
     * Per request topic, {@code worker.share-lanes} share consumers, each acquiring at most its part of the in-flight
     * limit ({@code share.acquire.mode=record_limit} makes {@code max.poll.records} strict; see {@link ShareLane}):
     * every topic gets as many lanes as a single topic would, so one topic alone can fill the limit.
     */
    private static Map<String, List<ShareLane>> shareLanes(KafkaSettings kafka, WorkerSettings worker,
                                                           Collection<String> topics) {
        Map<String, List<ShareLane>> result = new LinkedHashMap<>();
        int t = 0;
        for (String topic : topics) {
            // one topic keeps the names it always had; several are told apart by their index
            String suffix = topics.size() == 1 ? "" : t + "-";
            result.put(topic, shareLanes(kafka, worker, suffix));
            t++;
        }
        return result;
    }

    private static List<ShareLane> shareLanes(KafkaSettings kafka, WorkerSettings worker, String topicSuffix) {
        int lanes = Math.min(worker.getShareLanes(), worker.getInFlightLimit());
        int perLane = (worker.getInFlightLimit() + lanes - 1) / lanes;
        List<ShareLane> result = new ArrayList<>(lanes);
        for (int i = 0; i < lanes; i++) {
            Map<String, String> defaults = new HashMap<>();
            defaults.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.getGroupId());
            defaults.put(ConsumerConfig.CLIENT_ID_CONFIG, worker.getId() + "-share-consumer-" + topicSuffix + i);
            defaults.putAll(kafka.getConsumer());
            // the batch size is what makes the lanes' batches fill the in-flight limit: not overridable
            defaults.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(perLane));
            defaults.put("share.acquire.mode", "record_limit");
            // how long the broker may hold a fetch: the intake's shutdown waits that out (BROKER_FETCH_WAIT)
            defaults.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                    String.valueOf(ShareGroupIntake.FETCH_MAX_WAIT.toMillis()));
            defaults.put("share.acknowledgement.mode", "explicit");
            result.add(new ShareLane("lane-" + topicSuffix + i, new KafkaShareConsumer<>(kafka.clientProperties(defaults),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer()), DEFAULT_LOCK, perLane));
        }
        return result;
    }
}
