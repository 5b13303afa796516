package io.inferenceworker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferenceworker.testkit.EmbeddedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** A lane against the embedded broker's real share consumer. */
class ShareLaneTest {
    private static final Duration LOCK = Duration.ofSeconds(30);

    @Test
    void aBatchCountsItsLocksFromThePollThatSentTheFetch() throws Exception {
        // A fetch acquires a batch from each partition the lane reads and a poll hands out one: the others wait in
        // the client, their locks running since the fetch. So renewals are due from the fetch, not the hand-out.
        EmbeddedKafka kafka = EmbeddedKafka.shared();
        String topic = "lane-" + UUID.randomUUID();
        String group = topic + "-group";
        kafka.createTopic(topic, 2);
        kafka.alterGroupConfigs(group, Map.of("share.auto.offset.reset", "earliest"));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, null, new byte[] {(byte) i})).get();
            }
        }
        try (ShareLane lane = new ShareLane("lane-0", new KafkaShareConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2",
                "share.acquire.mode", "record_limit",
                "share.acknowledgement.mode", "explicit"), new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                LOCK)) {
            lane.subscribe(topic, (offsets, error) -> { });
            Instant fetchedAt = Instant.parse("2026-01-01T00:00:00Z");
            assertThat(lane.poll(fetchedAt)).as("nothing in the client yet: this poll sends the fetch").isEmpty();
            Instant handedOut = fetchedAt.plusSeconds(20);
            List<ShareLane.Held> batch = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> batch.addAll(lane.poll(handedOut)));
            assertThat(batch).hasSize(2);
            assertThat(lane.renewalDue()).as("locks counted from the fetch, not from the hand-out")
                    .isEqualTo(fetchedAt.plus(lane.lockDuration().dividedBy(2)))
                    .isBefore(handedOut);
            // the batch is handed to the intake oldest first, each record once until it starts
            assertThat(batch).allSatisfy(h -> assertThat(h.key()).isEqualTo(ShareLane.Key.of(h.record())));
            for (ShareLane.Held held : batch) {
                assertThat(lane.nextNotStarted()).isSameAs(held);
                held.markStarted();
            }
            assertThat(lane.nextNotStarted()).isNull();
            batch.forEach(h -> assertThat(lane.acknowledge(h.key(), AcknowledgeType.ACCEPT)).isTrue());
            lane.flushSync(Duration.ofSeconds(5));
        }
    }
}
