package io.inferenceworker.publish;

import io.inferenceworker.config.KafkaClientBinder;
import io.inferenceworker.config.KafkaSettings;
import io.inferenceworker.config.SchemaRegistrySettings;
import io.inferenceworker.config.TopicSettings;
import io.inferenceworker.config.WorkerSettings;
import io.inferenceworker.serde.KafkaAvroSerializer;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's one producer: idempotent, {@code acks=all}, gzip-compressed, batching for a few milliseconds. Any of
 * these can be overridden under {@code kafka.producer.*}. gzip because every mainstream client reads it without
 * extras (Java, librdkafka and its Python/Go/.NET wrappers, kafkajs), where kafkajs needs a codec package for lz4,
 * snappy and zstd; set {@code kafka.producer.compression.type} to {@code lz4}, {@code zstd} or {@code none} when the
 * consumers allow. Its metrics are published through {@link KafkaClientBinder} ({@code ops.KafkaClientMeters}).
 */
@Factory
public class PublisherFactory {
    private static final Logger LOG = LoggerFactory.getLogger(PublisherFactory.class);

    @Singleton
    @Bean(preDestroy = "close")
    OutputPublisher outputPublisher(KafkaSettings kafka, SchemaRegistrySettings registry, WorkerSettings worker,
                                    KafkaClientBinder meters) {
        Map<String, Object> props = producerProperties(kafka, worker);
        KafkaProducer<byte[], byte[]> producer = meters.bindProducer(
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer()));
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(registry.serdeProperties(), false);
        return new OutputPublisher(producer, serializer);
    }

    /** Dead letters cut to fit the producer's effective {@code max.request.size}. */
    @Singleton
    DeadLetters deadLetters(TopicSettings topics, WorkerSettings worker, KafkaSettings kafka) {
        return new DeadLetters(topics.getDeadLetters(), worker.getId(),
                maxRequestSize(producerProperties(kafka, worker)));
    }

    /**
     * Where jobs' outputs go: {@code topics.*}, {@code tenants.<name>.topics.*} and the per-request allow-list. A
     * pattern that does not compile, or a tenant topic that is one of the worker's inputs, stops the start-up.
     */
    @Singleton
    Destinations destinations(TopicSettings topics, List<TenantTopicSettings> tenants) {
        Destinations destinations = Destinations.of(topics, tenants);
        destinations.tenants().forEach((name, t) -> LOG.info(
                "Tenant {}: results to {}, usage to {}, chunks to {}", name, t.results(), t.usage(), t.chunks()));
        destinations.replyTopicPattern().ifPresent(p -> LOG.info(
                "Requests may name their own output topics matching {}", p.pattern()));
        if (!destinations.tenants().isEmpty() || destinations.replyTopicPattern().isPresent()) {
            // The votes table reads topics.results only (one table, co-partitioned with the vote requests).
            LOG.info("Votes are joined with results on {} only; votes for jobs whose results go to other topics are "
                    + "dead-lettered (stage join) once votes.wait-window has passed", topics.getResults());
        }
        return destinations;
    }

    /** {@code max.request.size} as the producer will apply it: configured, or Kafka's default. */
    static int maxRequestSize(Map<String, Object> producerProperties) {
        Map<String, Object> props = new HashMap<>(producerProperties);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return (Integer) ProducerConfig.configDef().parse(props).get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    }

    private static Map<String, Object> producerProperties(KafkaSettings kafka, WorkerSettings worker) {
        Map<String, String> defaults = new HashMap<>();
        defaults.put(ProducerConfig.ACKS_CONFIG, "all");
        defaults.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        defaults.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip");
        defaults.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        defaults.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(128 * 1024));
        defaults.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        defaults.put(ProducerConfig.CLIENT_ID_CONFIG, worker.getId() + "-producer");
        defaults.putAll(kafka.getProducer());
        return kafka.clientProperties(defaults);
    }
}
