package io.inferenceworker.it;

import static io.inferenceworker.it.WorkerHarness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.intake.ConsumerGroupIntake;
import io.inferenceworker.intake.IntakeLimits;
import io.inferenceworker.job.JobPipeline;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.testkit.sim.Behaviour;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The group intake's commits against a real broker: completed offsets in the commit metadata never make a worker skip
 * a record of another log, and a commit that failed is made again.
 */
class CommitMetadataTest {

    @Test
    void afterTheTopicIsRecreatedAStaleCommitWithAGapSkipsNoNewRecord() throws Exception {
        try (WorkerHarness h = new WorkerHarness("recreate", 1); Admin admin = h.stack.kafka().newAdmin()) {
            TopicPartition tp = new TopicPartition(h.requests, 0);
            String fast = h.prefix + "-fast";
            String stuck = h.prefix + "-stuck";
            h.stack.simulator().onModel(fast, Behaviour.ok());
            h.stack.simulator().onModel(stuck, Behaviour.ok().withLatency(Duration.ofSeconds(60)));
            // offset 5 stays in flight (its calls time out and are retried), the others complete: a gap
            List<String> old = IntStream.range(0, 20).mapToObj(i -> h.prefix + "-old-" + i).toList();
            for (int i = 0; i < old.size(); i++) {
                h.send(request(old.get(i), i == 5 ? stuck : fast, "hi").build());
            }
            Uuid oldTopic = topicId(admin, h.requests);
            ApplicationContext first = h.startWorker(Map.of("worker.id", "first", "worker.shutdown-grace", "1s",
                    "providers.sim.retry.attempt-timeout", "120s"));
            String gap = "iw2:" + oldTopic + ":5:1-14";
            await().atMost(Duration.ofSeconds(60)).until(() -> gap.equals(committed(admin, h.group, tp).metadata()));
            h.stopWorker(first);
            OffsetAndMetadata stale = committed(admin, h.group, tp);
            assertThat(stale.offset()).isEqualTo(5);
            assertThat(stale.leaderEpoch()).as("commits carry the leader epoch").isPresent();

            admin.deleteTopics(List.of(h.requests)).all().get();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> { h.stack.kafka().createTopic(h.requests, 1); return true; });
            assertThat(topicId(admin, h.requests)).isNotEqualTo(oldTopic);
            List<String> fresh = IntStream.range(0, 30).mapToObj(i -> h.prefix + "-new-" + i).toList();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", h.stack.kafka().bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (String id : fresh) {
                    producer.send(new ProducerRecord<>(h.requests, id.getBytes(StandardCharsets.UTF_8),
                            h.serialize(request(id, fast, "hi").build()))).get();
                }
            }
            // A member that committed while the topic was recreated (or a restore) leaves the old claim in place.
            admin.alterConsumerGroupOffsets(h.group, Map.of(tp, stale)).all().get();

            h.startWorker(Map.of("worker.id", "second", "worker.shutdown-grace", "1s"));
            await().atMost(Duration.ofSeconds(60)).until(() -> jobIds(h).containsAll(fresh));
            await().atMost(Duration.ofSeconds(10)).until(() -> committed(admin, h.group, tp).offset() == 30);
            assertThat(committed(admin, h.group, tp).metadata()).startsWith("iw2:" + topicId(admin, h.requests));
        }
    }

    @Test
    void anAsynchronousCommitThatFailedIsMadeAgainWithoutNewProgress() throws Exception {
        try (WorkerHarness h = new WorkerHarness("retry-commit", 1); Admin admin = h.stack.kafka().newAdmin()) {
            String model = h.prefix + "-m";
            h.stack.simulator().onModel(model, Behaviour.ok());
            ApplicationContext ctx = h.startWorker(Map.of("worker.enabled", "false")); // the pipeline, no intake
            AtomicBoolean commitsFail = new AtomicBoolean(true);
            AtomicInteger failed = new AtomicInteger();
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, h.stack.kafka().bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, h.group,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer()) {
                @Override
                public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback cb) {
                    if (commitsFail.get()) {
                        failed.incrementAndGet();
                        cb.onComplete(offsets, new RetriableCommitFailedException("injected by the test"));
                        return;
                    }
                    super.commitAsync(offsets, cb);
                }
            };
            Uuid topic = topicId(admin, h.requests);
            ConsumerGroupIntake intake = new ConsumerGroupIntake(consumer, ctx.getBean(JobPipeline.class),
                    h.requests, h.group, new IntakeLimits(10, 1 << 20, Duration.ofMillis(100)),
                    t -> Optional.of(topic), Clock.systemUTC());
            intake.start();
            try {
                List<String> ids = IntStream.range(0, 20).mapToObj(i -> h.prefix + "-" + i).toList();
                ids.forEach(id -> h.send(request(id, model, "hi").build()));
                h.flush();
                await().atMost(Duration.ofSeconds(60)).until(() -> jobIds(h).containsAll(ids));
                await().atMost(Duration.ofSeconds(10)).until(() -> failed.get() >= 3);
                assertThat(h.committedTotal()).as("every asynchronous commit failed so far").isZero();

                commitsFail.set(false); // no new record: only a retry can commit the progress made
                await().atMost(Duration.ofSeconds(10)).until(() -> h.committedTotal() == ids.size());
            } finally {
                intake.stop(Duration.ofSeconds(1));
            }
        }
    }

    static Uuid topicId(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).topicNameValues().get(topic).get().topicId();
    }

    /** The group's commit for {@code tp}; offset 0 with metadata "none" when there is none. */
    private static OffsetAndMetadata committed(Admin admin, String group, TopicPartition tp) throws Exception {
        OffsetAndMetadata om = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp);
        return om == null ? new OffsetAndMetadata(0, "none") : om;
    }

    private static Set<String> jobIds(WorkerHarness h) {
        return h.results().stream().map(CompletionResult::getJobId).collect(Collectors.toSet());
    }
}
