package io.inferenceworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class EmbeddedKafkaTest {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaTest.class);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final EmbeddedKafka kafka = EmbeddedKafka.shared();

    @Test
    void sharedInstanceIsStartedOnceAndServesClients() throws Exception {
        assertThat(EmbeddedKafka.shared()).isSameAs(kafka);
        assertThat(kafka.bootstrapServers()).startsWith("localhost:");
        LOG.info("Shared embedded Kafka at {} started in {} ms", kafka.bootstrapServers(), kafka.startupTime().toMillis());

        try (Admin admin = kafka.newAdmin()) {
            assertThat(admin.describeCluster().nodes().get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).hasSize(1);
        }
    }

    @Test
    void classicConsumerGroupReadsWhatWasProduced() {
        String topic = unique("classic");
        kafka.createTopic(topic, 3);
        List<String> sent = produce(topic, 12);

        assertThat(consumeValues(topic, "classic", sent.size())).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void consumerProtocolGroupReadsWhatWasProduced() throws Exception {
        String topic = unique("kip848");
        String group = unique("kip848-group");
        kafka.createTopic(topic, 3);
        List<String> sent = produce(topic, 12);

        assertThat(consumeValues(topic, group, "consumer", sent.size())).containsExactlyInAnyOrderElementsOf(sent);

        try (Admin admin = kafka.newAdmin()) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
                    .describedGroups().get(group).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertThat(description.type()).isEqualTo(GroupType.CONSUMER);
        }
    }

    @Test
    void shareConsumerReceivesAndAcceptsRecords() {
        String topic = unique("share");
        String group = unique("share-group");
        kafka.createTopic(topic, 2);
        kafka.alterGroupConfigs(group, Map.of("share.auto.offset.reset", "earliest"));
        List<String> sent = produce(topic, 10);

        List<String> received = new ArrayList<>();
        try (Admin admin = kafka.newAdmin();
             KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(shareConsumerConfig(group))) {
            consumer.subscribe(List.of(topic));
            await().atMost(DEADLINE).pollInSameThread().pollInterval(Duration.ZERO).until(() -> {
                List<ConsumerRecord<String, String>> batch = new ArrayList<>();
                consumer.poll(Duration.ofMillis(200)).forEach(batch::add);
                acceptAll(consumer, batch, received);
                return received.size() >= sent.size();
            });
            assertThat(received).containsExactlyInAnyOrderElementsOf(sent);

            // The share coordinator persisted every acceptance (it reports no offsets for a partition before its
            // first state write): nothing is left to deliver to this group.
            await().atMost(DEADLINE).untilAsserted(() ->
                    assertThat(shareGroupLag(admin, group)).hasSize(2).allSatisfy((partition, lag) -> assertThat(lag).isZero()));
        }
    }

    private static void acceptAll(KafkaShareConsumer<String, String> consumer,
                                  List<ConsumerRecord<String, String>> records, List<String> received) {
        for (ConsumerRecord<String, String> record : records) {
            consumer.acknowledge(record, AcknowledgeType.ACCEPT);
            received.add(record.value());
        }
        Map<TopicIdPartition, Optional<KafkaException>> commits = consumer.commitSync(DEADLINE);
        assertThat(commits.values()).allSatisfy(error -> assertThat(error).isEmpty());
    }

    private static Map<TopicPartition, Long> shareGroupLag(Admin admin, String group) throws Exception {
        Map<TopicPartition, SharePartitionOffsetInfo> offsets = admin
                .listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec()))
                .partitionsToOffsetInfo(group).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        Map<TopicPartition, Long> lags = new HashMap<>();
        // A partition whose share state is not initialised yet comes back without offset information.
        offsets.forEach((partition, info) -> {
            if (info != null && info.lag().isPresent()) {
                lags.put(partition, info.lag().get());
            }
        });
        return lags;
    }

    @Test
    void createsTopicWithConfiguration() throws Exception {
        String topic = unique("compacted");
        kafka.createTopic(topic, 6, Map.of("cleanup.policy", "compact"));

        try (Admin admin = kafka.newAdmin()) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all()
                    .get(DEADLINE.toSeconds(), TimeUnit.SECONDS).get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(DEADLINE.toSeconds(), TimeUnit.SECONDS).get(topic).partitions()).hasSize(6);
        }
    }

    @Test
    void creatingAnExistingTopicFailsWithItsName() {
        String topic = unique("twice");
        kafka.createTopic(topic, 1);

        assertThatThrownBy(() -> kafka.createTopic(topic, 1))
                .isInstanceOf(EmbeddedKafkaException.class)
                .hasMessageContaining(topic)
                .hasCauseInstanceOf(TopicExistsException.class);
    }

    @Test
    void privateInstanceRedeliversUnacknowledgedShareRecordAfterConfiguredLock() {
        EmbeddedKafka own = EmbeddedKafka.builder().withShareRecordLockDuration(Duration.ofSeconds(1)).start();
        try (own) {
            assertThat(own.bootstrapServers()).isNotEqualTo(kafka.bootstrapServers());
            String topic = unique("lock");
            String group = unique("lock-group");
            own.createTopic(topic, 1);
            own.alterGroupConfigs(group, Map.of("share.auto.offset.reset", "earliest"));
            produce(own, topic, 1);

            try (KafkaShareConsumer<String, String> holder = new KafkaShareConsumer<>(shareConsumerConfig(own, group));
                 KafkaShareConsumer<String, String> taker = new KafkaShareConsumer<>(shareConsumerConfig(own, group))) {
                holder.subscribe(List.of(topic));
                ConsumerRecord<String, String> held = pollOne(holder);
                assertThat(held.deliveryCount()).contains((short) 1);

                // The holder never acknowledges: once its 1 s lock expires the record goes to the other member.
                taker.subscribe(List.of(topic));
                ConsumerRecord<String, String> redelivered = pollOne(taker);
                assertThat(redelivered.offset()).isEqualTo(held.offset());
                assertThat(redelivered.deliveryCount()).contains((short) 2);
                taker.acknowledge(redelivered, AcknowledgeType.ACCEPT);
                taker.commitSync(DEADLINE);
            }
        }
        own.close();
        assertThatThrownBy(() -> own.createTopic("after-close", 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void privateInstanceListensOnAFixedPortWhenAsked() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (EmbeddedKafka own = EmbeddedKafka.builder().withPort(port).start()) {
            assertThat(own.bootstrapServers()).isEqualTo("localhost:" + port);
            String topic = unique("fixed-port");
            own.createTopic(topic, 1);
            List<String> sent = produce(own, topic, 3);
            assertThat(consumeValues(own, topic, unique("fixed-port-group"), "classic", sent.size()))
                    .containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    @Test
    void builderRejectsLockDurationsKafkaWouldRefuse() {
        assertThatThrownBy(() -> EmbeddedKafka.builder().withShareRecordLockDuration(Duration.ofMillis(999)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static ConsumerRecord<String, String> pollOne(KafkaShareConsumer<String, String> consumer) {
        List<ConsumerRecord<String, String>> polled = new ArrayList<>();
        await().atMost(DEADLINE).pollInSameThread().pollInterval(Duration.ZERO).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(polled::add);
            return !polled.isEmpty();
        });
        assertThat(polled).hasSize(1);
        return polled.getFirst();
    }

    private List<String> consumeValues(String topic, String groupProtocol, int expected) {
        return consumeValues(topic, unique(groupProtocol + "-group"), groupProtocol, expected);
    }

    private List<String> consumeValues(String topic, String group, String groupProtocol, int expected) {
        return consumeValues(kafka, topic, group, groupProtocol, expected);
    }

    private static List<String> consumeValues(EmbeddedKafka target, String topic, String group, String groupProtocol,
                                              int expected) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, groupProtocol);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            await().atMost(DEADLINE).pollInSameThread().pollInterval(Duration.ZERO).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> received.add(record.value()));
                return received.size() >= expected;
            });
            consumer.commitSync(DEADLINE);
        }
        return received;
    }

    private Map<String, Object> shareConsumerConfig(String group) {
        return shareConsumerConfig(kafka, group);
    }

    private static Map<String, Object> shareConsumerConfig(EmbeddedKafka target, String group) {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    }

    private List<String> produce(String topic, int count) {
        return produce(kafka, topic, count);
    }

    private static List<String> produce(EmbeddedKafka target, String topic, int count) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        List<String> values = IntStream.range(0, count).mapToObj(i -> topic + "-value-" + i).toList();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, "job-" + i, values.get(i))));
            }
            producer.flush();
            assertThat(acks).allSatisfy(ack -> assertThat(ack).succeedsWithin(DEADLINE));
        }
        return values;
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }
}
