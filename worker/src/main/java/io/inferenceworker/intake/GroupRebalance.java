package io.inferenceworker.intake;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer-group intake's rebalance listener, the same for the {@code classic} and the KIP-848 {@code consumer}
 * protocols (both call it on the poll thread, inside {@code poll} or {@code close}).
 *
 * <ul>
 *   <li>Revoked: a synchronous commit of what is complete (bounded), then the partitions are forgotten. At close,
 *   after the intake's final commit, nothing more is committed (the final commit has just run, within its bound).</li>
 *   <li>Lost: forgotten without a commit: another member may own them already, and a commit could overwrite its
 *   progress (the classic coordinator would reject it anyway).</li>
 *   <li>Assigned: the committed offsets, the topic ID and the consumer's position decide, per partition, what the
 *   commit metadata is trusted for ({@link Resume}); a commit made for an earlier topic of the same name makes the
 *   partition start from the beginning of the log. Each lookup is bounded; a failed one trusts nothing.</li>
 * </ul>
 *
 * <p>Not thread-safe: runs on the poll thread.
 */
final class GroupRebalance implements ConsumerRebalanceListener {
    private static final Logger LOG = LoggerFactory.getLogger(GroupRebalance.class);

    private final ConsumerGroupIntake intake;

    GroupRebalance(ConsumerGroupIntake intake) {
        this.intake = intake;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty() && !intake.closing()) {
            intake.commitSync(partitions);
        }
        intake.forget(partitions);
        LOG.info("Partitions revoked: {}", partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        intake.forget(partitions);
        LOG.warn("Partitions lost: {}", partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Consumer<byte[], byte[]> consumer = intake.consumer();
        if (intake.shuttingDown()) { // draining: take nothing new, look nothing up
            partitions.forEach(tp -> intake.track(tp, new OffsetTracker(-1, OffsetRanges.empty(), null)));
            consumer.pause(partitions);
            return;
        }
        // one lookup per request topic assigned (several with topics.request-priorities)
        Map<String, Uuid> topicIds = new HashMap<>();
        for (TopicPartition tp : partitions) {
            if (!topicIds.containsKey(tp.topic())) {
                Uuid id = intake.topicIds().lookup(tp.topic()).orElse(null);
                topicIds.put(tp.topic(), id);
                intake.topicId(tp.topic(), id);
            }
        }
        Map<TopicPartition, OffsetAndMetadata> committed = committed(consumer, partitions);
        Set<TopicPartition> fromBeginning = new HashSet<>();
        for (TopicPartition tp : partitions) {
            Uuid topicId = topicIds.get(tp.topic());
            OffsetAndMetadata om = committed.get(tp);
            Resume resume = Resume.decide(om, topicId, position(consumer, tp));
            OffsetTracker.Commit previous = om == null ? null : OffsetTracker.Commit.of(om);
            OffsetTracker tracker = switch (resume) {
                case Resume.Trusted t -> {
                    LOG.debug("{}: resuming at {}, {} completed ranges inherited", tp, t.start(),
                            t.completed().rangeCount());
                    yield new OffsetTracker(t.start(), t.completed(), previous);
                }
                case Resume.Replay r -> {
                    LOG.debug("{}: resuming at {}, nothing skipped: {}", tp, r.start(), r.reason());
                    yield new OffsetTracker(r.start(), OffsetRanges.empty(), previous);
                }
                case Resume.FromBeginning b -> {
                    LOG.warn("{}: the commit {} was made for topic ID {}, not {} (the topic was recreated): "
                            + "starting from the beginning", tp, om.offset(), b.committedFor(), topicId);
                    fromBeginning.add(tp);
                    yield new OffsetTracker(-1, OffsetRanges.empty(), previous);
                }
            };
            intake.track(tp, tracker);
        }
        if (!fromBeginning.isEmpty()) {
            consumer.seekToBeginning(fromBeginning);
        }
        LOG.info("Partitions assigned: {}", partitions);
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Consumer<byte[], byte[]> consumer,
                                                                     Collection<TopicPartition> partitions) {
        try {
            return consumer.committed(new HashSet<>(partitions), ConsumerGroupIntake.ASSIGN_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warn("Committed offsets of {} unknown ({}): nothing skipped", partitions, e.toString());
            return Map.of();
        }
    }

    private static OptionalLong position(Consumer<byte[], byte[]> consumer, TopicPartition tp) {
        try {
            return OptionalLong.of(consumer.position(tp, ConsumerGroupIntake.ASSIGN_TIMEOUT));
        } catch (RuntimeException e) {
            LOG.warn("Position of {} unknown ({}): nothing skipped", tp, e.toString());
            return OptionalLong.empty();
        }
    }
}
