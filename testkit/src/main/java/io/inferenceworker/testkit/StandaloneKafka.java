package io.inferenceworker.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A single-node KRaft Kafka (broker and controller combined) meant to run as a process of its own, on fixed
 * loopback ports and a fixed data directory, so that it can be stopped (SIGTERM or SIGKILL) and started again on the
 * same address with the same data — which the in-JVM {@link EmbeddedKafka} cannot do.
 *
 * <p>Usage: {@code java -cp <testkit's runtime class path> io.inferenceworker.testkit.StandaloneKafka PORT
 * CONTROLLER_PORT DATA_DIR}. The first start formats {@code DATA_DIR} (cluster ID random, the same metadata version
 * and features as {@link EmbeddedKafka}, {@code share.version=1}); later starts find it formatted and keep its data.
 * The broker properties are {@link EmbeddedKafka}'s (internal topics with one replica, no topic auto-creation, short
 * group heartbeats, share-group record locks of 30 s), with a static controller quorum of this one node. Clients
 * connect to {@code 127.0.0.1:PORT}. The process runs Kafka's own main ({@code kafka.Kafka}), which shuts the node
 * down cleanly on SIGTERM.
 */
public final class StandaloneKafka {

    private static final String NODE_ID = "1";

    private StandaloneKafka() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: StandaloneKafka PORT CONTROLLER_PORT DATA_DIR");
        }
        int port = Integer.parseInt(args[0].trim());
        int controllerPort = Integer.parseInt(args[1].trim());
        Path dataDir = Path.of(args[2]).toAbsolutePath();
        Files.createDirectories(dataDir);
        Properties properties = properties(port, controllerPort, dataDir);
        Path propertiesFile = dataDir.resolveSibling(dataDir.getFileName() + ".properties");
        try (OutputStream out = Files.newOutputStream(propertiesFile)) {
            properties.store(out, "StandaloneKafka");
        }
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            format(dataDir);
        }
        kafka.Kafka.main(new String[] {propertiesFile.toString()});
    }

    /** The node's properties: {@link KafkaBrokerSettings}' defaults, then the fixed listeners and quorum. */
    static Properties properties(int port, int controllerPort, Path dataDir) {
        Properties p = new Properties();
        KafkaBrokerSettings settings = new KafkaBrokerSettings(
                KafkaBrokerSettings.DEFAULT_SHARE_RECORD_LOCK_DURATION, KafkaBrokerSettings.NO_FIXED_PORT, Map.of());
        settings.brokerProperties().forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", NODE_ID);
        p.setProperty("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", dataDir.toString());
        // A restarted node recovers its logs quickly and rejoins at once.
        p.setProperty("num.recovery.threads.per.data.dir", "2");
        return p;
    }

    private static void format(Path dataDir) throws Exception {
        BootstrapMetadata metadata = new KafkaBrokerSettings(KafkaBrokerSettings.DEFAULT_SHARE_RECORD_LOCK_DURATION,
                KafkaBrokerSettings.NO_FIXED_PORT, Map.of()).bootstrapMetadata();
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(Integer.parseInt(NODE_ID))
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(java.util.List.of(dataDir.toString()))
                .setMetadataLogDirectory(dataDir.toString())
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(metadata.metadataVersion())
                .setUnstableFeatureVersionsEnabled(false);
        metadata.records().stream()
                .map(r -> r.message())
                .filter(m -> m instanceof org.apache.kafka.common.metadata.FeatureLevelRecord)
                .map(m -> (org.apache.kafka.common.metadata.FeatureLevelRecord) m)
                .filter(f -> !f.name().equals(org.apache.kafka.server.common.MetadataVersion.FEATURE_NAME))
                .forEach(f -> formatter.setFeatureLevel(f.name(), f.featureLevel()));
        try {
            formatter.run();
        } catch (IOException e) {
            throw new IOException("could not format " + dataDir, e);
        }
    }
}
