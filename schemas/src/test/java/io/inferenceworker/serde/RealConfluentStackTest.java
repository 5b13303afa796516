package io.inferenceworker.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Our serde against the real thing: an Apache Kafka broker and Confluent's Schema Registry in containers, joined by
 * a Docker network on which the registry reaches the broker as {@code kafka:19092}. Proves that what the in-JVM
 * test double accepts, the real registry accepts too: subjects, ids, the wire format and compatibility checks.
 * Skipped where there is no Docker engine.
 */
@Testcontainers(disabledWithoutDocker = true)
class RealConfluentStackTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Schema GREETING_V1 = new Schema.Parser().parse("""
            {"type": "record", "name": "Greeting", "namespace": "io.inferenceworker.serde.it",
             "fields": [
               {"name": "text", "type": "string"},
               {"name": "count", "type": "int"}
             ]}""");

    /** Version 2 adds a field with a default: backward compatible, so the registry accepts it as version 2. */
    private static final Schema GREETING_V2 = new Schema.Parser().parse("""
            {"type": "record", "name": "Greeting", "namespace": "io.inferenceworker.serde.it",
             "fields": [
               {"name": "text", "type": "string"},
               {"name": "count", "type": "int"},
               {"name": "language", "type": "string", "default": "en"}
             ]}""");

    private static final Network NETWORK = Network.newNetwork();

    @Container
    private static final KafkaContainer KAFKA = new KafkaContainer(DockerImageName.parse("apache/kafka:4.3.1"))
            .withNetwork(NETWORK)
            .withNetworkAliases("kafka")
            .withListener("kafka:19092");

    @Container
    private static final GenericContainer<?> REGISTRY =
            new GenericContainer<>(DockerImageName.parse("confluentinc/cp-schema-registry:7.9.0"))
                    .withNetwork(NETWORK)
                    .withNetworkAliases("schema-registry")
                    .withExposedPorts(8081)
                    .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
                    .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
                    .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
                    .withEnv("SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR", "1")
                    .dependsOn(KAFKA)
                    .waitingFor(Wait.forHttp("/subjects").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(3)));

    @Test
    void recordsRoundTripAndTheSubjectIsRegistered() throws Exception {
        String topic = createTopic("it-roundtrip");
        GenericRecord sent = greeting(GREETING_V1, "hello", 1);

        produce(topic, List.of(sent));

        List<ConsumerRecord<String, Object>> received = consume(topic, new KafkaAvroDeserializer(), 1);
        GenericRecord value = (GenericRecord) received.getFirst().value();
        assertThat(value.get("text")).hasToString("hello");
        assertThat(value.get("count")).isEqualTo(1);

        String subject = topic + "-value";
        assertThat(registryGet("/subjects")).extracting(JsonNode::asText).contains(subject);
        JsonNode latest = registryGet("/subjects/" + encode(subject) + "/versions/latest");
        assertThat(latest.get("version").asInt()).isEqualTo(1);
        assertThat(new Schema.Parser().parse(latest.get("schema").asText())).isEqualTo(GREETING_V1);

        // Confluent wire format: magic byte 0, then the registry's id of the schema, big-endian.
        byte[] raw = consume(topic, new ByteArrayDeserializer(), 1).getFirst().value();
        assertThat(raw[0]).isZero();
        assertThat(ByteBuffer.wrap(raw, 1, 4).getInt()).isEqualTo(latest.get("id").asInt());
    }

    @Test
    void aBackwardCompatibleEvolutionBecomesVersionTwo() throws Exception {
        String topic = createTopic("it-evolution");

        produce(topic, List.of(greeting(GREETING_V1, "first", 1)));
        GenericRecord evolved = greeting(GREETING_V2, "second", 2);
        evolved.put("language", "fr");
        produce(topic, List.of(evolved));

        String subject = topic + "-value";
        assertThat(registryGet("/subjects/" + encode(subject) + "/versions")).extracting(JsonNode::asInt)
                .containsExactly(1, 2);
        List<ConsumerRecord<String, Object>> received = consume(topic, new KafkaAvroDeserializer(), 2);
        assertThat(received).extracting(record -> ((GenericRecord) record.value()).get("text").toString())
                .containsExactly("first", "second");
        assertThat(((GenericRecord) received.get(1).value()).get("language")).hasToString("fr");
    }

    private static GenericRecord greeting(Schema schema, String text, int count) {
        GenericRecord greeting = new GenericData.Record(schema);
        greeting.put("text", text);
        greeting.put("count", count);
        return greeting;
    }

    private static String createTopic(String prefix) throws Exception {
        String topic = prefix + "-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all()
                    .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
        return topic;
    }

    private static void produce(String topic, List<GenericRecord> values) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, KafkaAvroSerializer.class,
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl());
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config)) {
            for (GenericRecord value : values) {
                producer.send(new ProducerRecord<>(topic, "job-" + UUID.randomUUID(), value))
                        .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    /** Reads {@code expected} records from the start of {@code topic} with a fresh group. */
    private static <V> List<ConsumerRecord<String, V>> consume(String topic, Deserializer<V> valueDeserializer,
                                                              int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl());
        List<ConsumerRecord<String, V>> received = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, new StringDeserializer(), valueDeserializer)) {
            valueDeserializer.configure(config, false);
            consumer.subscribe(List.of(topic));
            await().atMost(DEADLINE).pollInSameThread().pollInterval(Duration.ZERO).until(() -> {
                consumer.poll(Duration.ofMillis(250)).forEach(received::add);
                return received.size() >= expected;
            });
        }
        return received;
    }

    private static JsonNode registryGet(String path) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(DEADLINE).build()) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create(registryUrl() + path)).timeout(DEADLINE)
                            .header("Accept", "application/vnd.schemaregistry.v1+json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        }
    }

    private static String registryUrl() {
        return "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8081);
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8);
    }
}
