package io.inferenceworker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Kafka connection, {@code kafka.*}. {@code kafka.properties} passes any client property through to every client
 * (for managed Kafka: {@code security.protocol: SASL_SSL}, {@code sasl.mechanism}, {@code sasl.jaas.config}); the
 * {@code consumer} and {@code producer} maps add or override per client type.
 *
 * <p>Defaults: bootstrap {@value #DEFAULT_BOOTSTRAP_SERVERS}, group {@value #DEFAULT_GROUP_ID}, classic group
 * protocol with the cooperative-sticky assignor ({@code group-protocol: consumer} selects KIP-848).
 */
@ConfigurationProperties("kafka")
public class KafkaSettings {
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    public static final String DEFAULT_GROUP_ID = "inference-worker";
    public static final String DEFAULT_GROUP_PROTOCOL = "classic";

    private String bootstrapServers = DEFAULT_BOOTSTRAP_SERVERS;
    private String groupId = DEFAULT_GROUP_ID;
    private String groupProtocol = DEFAULT_GROUP_PROTOCOL;
    private Map<String, String> properties = new LinkedHashMap<>();
    private Map<String, String> consumer = new LinkedHashMap<>();
    private Map<String, String> producer = new LinkedHashMap<>();

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public String getGroupId() {
        return groupId;
    }

    public void setGroupId(String groupId) {
        this.groupId = groupId;
    }

    /** {@code classic} (cooperative-sticky) or {@code consumer} (KIP-848). */
    public String getGroupProtocol() {
        return groupProtocol;
    }

    public void setGroupProtocol(String groupProtocol) {
        this.groupProtocol = groupProtocol;
    }

    public Map<String, String> getProperties() {
        return properties;
    }

    public void setProperties(
            @MapFormat(transformation = MapFormat.MapTransformation.FLAT, keyFormat = StringConvention.RAW)
            Map<String, String> properties) {
        this.properties = copy(properties);
    }

    public Map<String, String> getConsumer() {
        return consumer;
    }

    public void setConsumer(
            @MapFormat(transformation = MapFormat.MapTransformation.FLAT, keyFormat = StringConvention.RAW)
            Map<String, String> consumer) {
        this.consumer = copy(consumer);
    }

    public Map<String, String> getProducer() {
        return producer;
    }

    public void setProducer(
            @MapFormat(transformation = MapFormat.MapTransformation.FLAT, keyFormat = StringConvention.RAW)
            Map<String, String> producer) {
        this.producer = copy(producer);
    }

    /** Common properties plus the bootstrap servers, then {@code overrides} on top. */
    public Map<String, Object> clientProperties(Map<String, String> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", Objects.requireNonNull(bootstrapServers, "kafka.bootstrap-servers"));
        props.putAll(properties);
        props.putAll(overrides);
        return props;
    }

    private static Map<String, String> copy(Map<String, String> m) {
        return m == null ? new LinkedHashMap<>() : new LinkedHashMap<>(m);
    }
}
