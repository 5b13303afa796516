package io.inferenceworker.testkit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.server.common.ShareVersion;

/**
 * The configuration of the embedded single-node cluster: broker properties and the features the cluster is
 * formatted with. Immutable.
 *
 * <p>The node runs the latest production metadata version with every production feature at its default level,
 * and {@code share.version} set to 1 explicitly, because share groups are what the worker consumes with. Unstable
 * feature and API versions stay off, as on a production broker, so clients negotiate what they would in production.
 */
record KafkaBrokerSettings(Duration shareRecordLockDuration, int fixedPort, Map<String, String> extraBrokerProperties) {

    static final Duration DEFAULT_SHARE_RECORD_LOCK_DURATION = Duration.ofSeconds(30);
    /** No fixed port: clients use the kit's listener on a free port. */
    static final int NO_FIXED_PORT = 0;

    /** The name of the extra listener on a fixed port; the kit's own listeners always take free ports. */
    private static final String FIXED_LISTENER = "FIXED";

    KafkaBrokerSettings {
        extraBrokerProperties = Map.copyOf(extraBrokerProperties);
    }

    boolean hasFixedPort() {
        return fixedPort != NO_FIXED_PORT;
    }

    /** The broker properties: the defaults below, then the extra properties over them. */
    Map<String, Object> brokerProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("unstable.feature.versions.enable", "false");
        properties.put("unstable.api.versions.enable", "false");
        properties.put("auto.create.topics.enable", "false");
        if (hasFixedPort()) {
            // The kit pre-binds its broker (EXTERNAL) and CONTROLLER listeners to free ports; a third listener
            // takes the fixed one. Clients get the endpoints of the listener they bootstrapped through.
            properties.put("listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0,"
                    + FIXED_LISTENER + "://localhost:" + fixedPort);
            properties.put("listener.security.protocol.map",
                    "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT," + FIXED_LISTENER + ":PLAINTEXT");
        }

        // One node: every internal topic has one replica; few partitions keep startup and group loading fast.
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("offsets.topic.num.partitions", "3");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("transaction.state.log.num.partitions", "3");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        properties.put("share.coordinator.state.topic.num.partitions", "3");

        properties.put("group.initial.rebalance.delay.ms", "0");

        // Members learn their assignment from heartbeat responses: short intervals make groups form quickly.
        properties.put("group.consumer.heartbeat.interval.ms", "500");
        properties.put("group.consumer.min.heartbeat.interval.ms", "100");
        properties.put("group.consumer.min.session.timeout.ms", "1000");
        properties.put("group.share.heartbeat.interval.ms", "500");
        properties.put("group.share.min.heartbeat.interval.ms", "100");
        properties.put("group.share.min.session.timeout.ms", "1000");

        // Tests may shorten the lock per group (share.record.lock.duration.ms) down to Kafka's floor of 1 s.
        properties.put("group.share.record.lock.duration.ms", Long.toString(shareRecordLockDuration.toMillis()));
        properties.put("group.share.min.record.lock.duration.ms", "1000");

        properties.putAll(extraBrokerProperties);
        return properties;
    }

    /** The metadata version and feature levels the node is formatted with. */
    BootstrapMetadata bootstrapMetadata() {
        MetadataVersion metadataVersion = MetadataVersion.LATEST_PRODUCTION;
        Map<String, Short> featureLevels = new TreeMap<>();
        for (Feature feature : Feature.PRODUCTION_FEATURES) {
            featureLevels.put(feature.featureName(), feature.defaultLevel(metadataVersion));
        }
        featureLevels.put(ShareVersion.FEATURE_NAME, ShareVersion.SV_1.featureLevel());
        return BootstrapMetadata.fromVersions(metadataVersion, featureLevels, "inference-worker testkit");
    }
}
