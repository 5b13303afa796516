package io.inferenceworker.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.AppInfoParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-JVM Apache Kafka cluster of one KRaft node (broker and controller combined) listening on a free
 * localhost port, for tests and the local dev stack.
 *
 * <p>What the broker offers (package-private {@code KafkaBrokerSettings} lists every property):
 * <ul>
 *   <li>classic consumer groups, KIP-848 {@code consumer} groups ({@code group.protocol=consumer}) and KIP-932
 *       share groups ({@code share.version=1}, consumed with {@code KafkaShareConsumer});</li>
 *   <li>internal topics with replication factor 1 and 3 partitions, no initial rebalance delay;</li>
 *   <li>no automatic topic creation: create topics with {@link #createTopic} / {@link #createTopics}, which
 *       return once the broker serves them;</li>
 *   <li>share-group record locks of 30 s by default ({@link Builder#withShareRecordLockDuration}); per group
 *       they can go down to 1 s with {@link #alterGroupConfigs} ({@code share.record.lock.duration.ms}).</li>
 * </ul>
 * A new share group starts at the latest offset; to read records produced before its first member joined,
 * set {@code share.auto.offset.reset=earliest} with {@link #alterGroupConfigs} before subscribing.
 *
 * <p>{@link #shared()} gives the one instance of the JVM, started on first use and closed by a shutdown hook;
 * tests sharing it isolate themselves with unique topic and group names. {@link #start()} or
 * {@link #builder()} give a private instance, which the caller closes.
 *
 * <p>Thread-safety: all methods may be called from any thread.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final long VISIBILITY_POLL_MILLIS = 20;

    private final KafkaClusterTestKit cluster;
    private final Admin admin;
    private final String bootstrapServers;
    private final Duration startupTime;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafka(KafkaClusterTestKit cluster, String bootstrapServers, Duration startupTime) {
        this.cluster = cluster;
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        this.startupTime = startupTime;
    }

    /** The JVM-wide instance, started on the first call (a few seconds) and closed when the JVM exits. */
    public static EmbeddedKafka shared() {
        return SharedInstance.KAFKA;
    }

    /** Starts a private instance with the default settings; the caller closes it. */
    public static EmbeddedKafka start() {
        return builder().start();
    }

    /** A builder for a private instance with non-default settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** The {@code bootstrap.servers} value for clients, e.g. {@code localhost:40123}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** How long formatting and starting the node took, until the broker was ready for clients. */
    public Duration startupTime() {
        return startupTime;
    }

    /** A new admin client for this cluster; the caller owns and closes it. */
    public Admin newAdmin() {
        requireOpen();
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Creates a topic with default topic configuration, see {@link #createTopics(Collection)}. */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /**
     * Creates a topic with the given topic configuration (e.g. {@code cleanup.policy=compact}),
     * see {@link #createTopics(Collection)}.
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(Map.copyOf(configs))));
    }

    /**
     * Creates the topics (replication factor 1) and returns once the broker serves every partition of them.
     *
     * @throws EmbeddedKafkaException if a topic exists already, a setting is invalid, or creation times out
     */
    public void createTopics(Collection<NewTopic> topics) {
        requireOpen();
        List<String> names = topics.stream().map(NewTopic::name).toList();
        String operation = "could not create topics " + names;
        await(admin.createTopics(topics).all(), operation);
        awaitTopicsServed(names, operation);
    }

    /**
     * Sets dynamic group configuration, e.g. {@code share.auto.offset.reset=earliest} or
     * {@code share.record.lock.duration.ms=1000} for a share group. The group need not exist yet.
     */
    public void alterGroupConfigs(String groupId, Map<String, String> configs) {
        requireOpen();
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, groupId);
        List<AlterConfigOp> operations = configs.entrySet().stream()
                .map(entry -> new AlterConfigOp(new ConfigEntry(entry.getKey(), entry.getValue()), AlterConfigOp.OpType.SET))
                .toList();
        await(admin.incrementalAlterConfigs(Map.of(group, operations)).all(),
                "could not set configs " + configs.keySet() + " of group " + groupId);
    }

    /** Stops the node and deletes its data. Later calls do nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        EmbeddedKafkaException failure = null;
        try {
            admin.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            failure = new EmbeddedKafkaException("could not close the admin client of " + bootstrapServers, e);
        }
        try {
            cluster.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            EmbeddedKafkaException clusterFailure =
                    new EmbeddedKafkaException("could not stop the Kafka node at " + bootstrapServers, e);
            if (failure != null) {
                clusterFailure.addSuppressed(failure);
            }
            failure = clusterFailure;
        }
        if (failure != null) {
            throw failure;
        }
        LOG.info("Embedded Kafka at {} stopped", bootstrapServers);
    }

    private void awaitTopicsServed(List<String> names, String operation) {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> descriptions =
                        admin.describeTopics(names).allTopicNames().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                boolean everyPartitionLed = descriptions.values().stream()
                        .flatMap(description -> description.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
                if (everyPartitionLed) {
                    return;
                }
            } catch (ExecutionException e) {
                // The broker may not have caught up with the controller yet: UnknownTopicOrPartition until it has.
                if (System.nanoTime() > deadline) {
                    throw new EmbeddedKafkaException(operation + ": not served by the broker in " + ADMIN_TIMEOUT, e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedKafkaException(operation + ": interrupted", e);
            } catch (TimeoutException e) {
                throw new EmbeddedKafkaException(operation + ": no answer in " + ADMIN_TIMEOUT, e);
            }
            if (System.nanoTime() > deadline) {
                throw new EmbeddedKafkaException(operation + ": partitions without leader after " + ADMIN_TIMEOUT, null);
            }
            pause();
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(VISIBILITY_POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("interrupted while waiting for the broker", e);
        }
    }

    private static <T> T await(KafkaFuture<T> future, String operation) {
        try {
            return future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new EmbeddedKafkaException(operation, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException(operation + ": interrupted", e);
        } catch (TimeoutException e) {
            throw new EmbeddedKafkaException(operation + ": no answer in " + ADMIN_TIMEOUT, e);
        }
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("Embedded Kafka at " + bootstrapServers + " is closed");
        }
    }

    private static EmbeddedKafka start(KafkaBrokerSettings settings) {
        long startedAt = System.nanoTime();
        KafkaClusterTestKit cluster;
        try {
            Path dataDirectory = Files.createTempDirectory("embedded-kafka-");
            TestKitNodes nodes = new TestKitNodes.Builder(settings.bootstrapMetadata())
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(dataDirectory)
                    .build();
            KafkaClusterTestKit.Builder clusterBuilder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
            settings.brokerProperties().forEach(clusterBuilder::setConfigProp);
            cluster = clusterBuilder.build();
        } catch (Exception e) {
            throw new EmbeddedKafkaException("could not set up the embedded Kafka node", e);
        }
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            EmbeddedKafkaException failure = new EmbeddedKafkaException("could not start the embedded Kafka node", e);
            try {
                cluster.close();
            } catch (Exception closeFailure) {
                failure.addSuppressed(closeFailure);
            }
            throw failure;
        }
        String bootstrapServers = settings.hasFixedPort() ? "localhost:" + settings.fixedPort() : cluster.bootstrapServers();
        EmbeddedKafka kafka = new EmbeddedKafka(cluster, bootstrapServers, Duration.ofNanos(System.nanoTime() - startedAt));
        LOG.info("Embedded Kafka {} (KRaft, combined broker+controller) started at {} in {} ms",
                AppInfoParser.getVersion(), kafka.bootstrapServers(), kafka.startupTime().toMillis());
        return kafka;
    }

    /** Holder idiom: the JVM-wide instance starts on first access to {@link #shared()}, exactly once. */
    private static final class SharedInstance {
        static final EmbeddedKafka KAFKA = startAndCloseAtExit();

        private static EmbeddedKafka startAndCloseAtExit() {
            EmbeddedKafka kafka = start();
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "embedded-kafka-shutdown"));
            return kafka;
        }
    }

    /**
     * Settings of a private instance. Defaults: a free port, share-group record lock 30 s, no extra broker
     * properties. Not thread-safe; use it from one thread, then discard it.
     */
    public static final class Builder {
        private Duration shareRecordLockDuration = KafkaBrokerSettings.DEFAULT_SHARE_RECORD_LOCK_DURATION;
        private int port = KafkaBrokerSettings.NO_FIXED_PORT;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * The broker-wide share-group record acquisition lock ({@code group.share.record.lock.duration.ms}):
         * how long a delivered, unacknowledged record stays locked to its consumer before redelivery.
         * Between 1 s and 1 h; default 30 s.
         */
        public Builder withShareRecordLockDuration(Duration lockDuration) {
            Objects.requireNonNull(lockDuration, "lockDuration");
            if (lockDuration.compareTo(Duration.ofSeconds(1)) < 0 || lockDuration.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("share record lock duration must be within 1 s and 1 h, was " + lockDuration);
            }
            this.shareRecordLockDuration = lockDuration;
            return this;
        }

        /**
         * Also listens on {@code localhost:port}, which {@link #bootstrapServers()} then returns (for a dev stack
         * that other processes connect to at a known address). Default: only a free port.
         */
        public Builder withPort(int port) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be within 1 and 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** Sets any broker property, overriding the kit's default for it. */
        public Builder withBrokerProperty(String name, String value) {
            brokerProperties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Starts the node; returns once the broker accepts clients. */
        public EmbeddedKafka start() {
            return EmbeddedKafka.start(new KafkaBrokerSettings(shareRecordLockDuration, port, brokerProperties));
        }
    }
}
