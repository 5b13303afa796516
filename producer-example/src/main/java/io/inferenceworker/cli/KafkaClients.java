package io.inferenceworker.cli;

import io.inferenceworker.serde.AvroSerdeConfig;
import io.inferenceworker.serde.SpecificAvroDeserializer;
import io.inferenceworker.serde.SpecificAvroSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka clients and Avro serdes configured from {@link KafkaOptions}. Producers write bytes (values are serialized by
 * the caller, so serialization and registry errors surface where they happen); consumers read bytes and never join a
 * group. Every blocking call is bounded by the connect timeout, and so are registry requests unless
 * {@code --registry-property http.*.timeout.ms} says otherwise. The caller closes what it gets.
 */
final class KafkaClients {
    private final KafkaOptions options;

    KafkaClients(KafkaOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Returns once the cluster answers; the first thing every command does, so an unreachable cluster is reported
     * at once as such.
     *
     * @throws UnreachableException when it does not answer within the connect timeout
     */
    void requireKafka() {
        int timeoutMs = timeoutMillis();
        Map<String, Object> config = kafkaConfig("producer-example-admin");
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        Admin admin;
        try {
            admin = Admin.create(config);
        } catch (KafkaException e) {
            throw unreachable(e);
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).clusterId()
                    .get(timeoutMs + 1000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw unreachable(e.getCause() == null ? e : e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(e);
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }

    /** Idempotent, {@code acks=all}: a record reported sent is in the topic. */
    KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> config = kafkaConfig("producer-example");
        config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        config.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMillis());
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A consumer for assigned partitions: no group, no commits. */
    KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> config = kafkaConfig("producer-example-reader");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMillis());
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    <T extends SpecificRecord> SpecificAvroSerializer<T> serializer() {
        SpecificAvroSerializer<T> serializer = new SpecificAvroSerializer<>();
        serializer.configure(serdeConfig(), false);
        return serializer;
    }

    <T extends SpecificRecord> SpecificAvroDeserializer<T> deserializer(Class<T> type) {
        SpecificAvroDeserializer<T> deserializer = new SpecificAvroDeserializer<>(type);
        deserializer.configure(serdeConfig(), false);
        return deserializer;
    }

    Duration connectTimeout() {
        return options.connectTimeout;
    }

    private Map<String, Object> kafkaConfig(String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        config.putAll(options.kafkaProperties);
        return config;
    }

    Map<String, Object> serdeConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(AvroSerdeConfig.HTTP_CONNECT_TIMEOUT_MS, timeoutMillis());
        config.put(AvroSerdeConfig.HTTP_READ_TIMEOUT_MS, timeoutMillis());
        config.putAll(options.registryProperties);
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, options.schemaRegistryUrl);
        return config;
    }

    private int timeoutMillis() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, options.connectTimeout.toMillis()));
    }

    private UnreachableException unreachable(Throwable cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new UnreachableException("Kafka at " + options.bootstrapServers + " did not answer within "
                + Times.human(options.connectTimeout) + " (" + reason + ")", cause);
    }
}
