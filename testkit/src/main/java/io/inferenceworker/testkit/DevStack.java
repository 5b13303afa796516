package io.inferenceworker.testkit;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.inferenceworker.testkit.sim.Dialect;
import io.inferenceworker.testkit.sim.ProviderSimulator;

/**
 * The whole local dev stack in one JVM: an {@link EmbeddedKafka} broker, an {@link EmbeddedSchemaRegistry} and a
 * {@link ProviderSimulator} serving every provider dialect.
 *
 * <p>{@link #shared()} is the JVM-wide stack for tests: it uses {@link EmbeddedKafka#shared()}, so a test JVM runs one
 * broker however its tests reach it, and it is closed by a shutdown hook (do not close it yourself).
 * {@link #start()} gives a private stack that the caller closes. {@link #main(String[])} runs a stack with the
 * worker's default topics until Ctrl-C.
 *
 * <p>Thread-safety: all methods may be called from any thread; {@link #close()} is idempotent.
 */
public final class DevStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DevStack.class);
    private static final int DEFAULT_TOPIC_PARTITIONS = 6;
    private static final Map<String, String> COMPACTED = Map.of("cleanup.policy", "compact");

    private final EmbeddedKafka kafka;
    private final EmbeddedSchemaRegistry registry;
    private final ProviderSimulator simulator;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DevStack(EmbeddedKafka kafka, EmbeddedSchemaRegistry registry, ProviderSimulator simulator) {
        this.kafka = Objects.requireNonNull(kafka, "kafka");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.simulator = Objects.requireNonNull(simulator, "simulator");
    }

    /** The JVM-wide stack, started on first use; its Kafka is {@link EmbeddedKafka#shared()}. */
    public static DevStack shared() {
        return SharedInstance.STACK;
    }

    /** Starts a private stack (its own broker, registry and simulator, all on free ports); the caller closes it. */
    public static DevStack start() {
        return start(EmbeddedKafka.builder(), ProviderSimulator.builder());
    }

    /**
     * The topics the worker uses by default ({@code application.yml}), each with 6 partitions; results and votes
     * are compacted (the latest record per job ID is the answer).
     */
    public static List<NewTopic> defaultTopics() {
        return List.of(
                topic("inference.requests", Map.of()),
                topic("inference.results", COMPACTED),
                topic("inference.usage", Map.of()),
                topic("inference.chunks", Map.of()),
                topic("inference.votes.requests", Map.of()),
                topic("inference.votes", COMPACTED),
                topic("inference.requests.dlq", Map.of()));
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedSchemaRegistry registry() {
        return registry;
    }

    public ProviderSimulator simulator() {
        return simulator;
    }

    /** Creates {@link #defaultTopics()}; fails if one exists already. */
    public void createDefaultTopics() {
        kafka.createTopics(defaultTopics());
    }

    /** Stops the simulator, the registry and the broker, in that order. Later calls do nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        RuntimeException failure = null;
        for (AutoCloseable component : List.<AutoCloseable>of(simulator, registry, kafka)) {
            try {
                component.close();
            } catch (Exception e) {
                RuntimeException wrapped = e instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException("could not close " + component, e);
                if (failure == null) {
                    failure = wrapped;
                } else {
                    failure.addSuppressed(wrapped);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Runs a dev stack until the process is stopped (Ctrl-C), after creating {@link #defaultTopics()} and printing
     * the addresses. Ports: {@code KAFKA_PORT} and {@code SIMULATOR_PORT} (environment variables or system
     * properties of that name) fix them; otherwise free ports are taken. The registry always takes a free port.
     */
    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafka.Builder kafkaBuilder = EmbeddedKafka.builder();
        setting("KAFKA_PORT").map(value -> port("KAFKA_PORT", value)).ifPresent(kafkaBuilder::withPort);
        ProviderSimulator.Builder simulatorBuilder = ProviderSimulator.builder().withRecording(false);
        setting("SIMULATOR_PORT").map(value -> port("SIMULATOR_PORT", value)).ifPresent(simulatorBuilder::withPort);

        DevStack stack = start(kafkaBuilder, simulatorBuilder);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "dev-stack-shutdown"));
        stack.createDefaultTopics();
        System.out.println(stack.describe());
        new CountDownLatch(1).await();
    }

    /** A human-readable summary of the addresses and default topics, with the worker's environment variables. */
    String describe() {
        StringBuilder text = new StringBuilder()
                .append("inference-worker dev stack is up (Kafka started in ").append(kafka.startupTime().toMillis())
                .append(" ms). Ctrl-C stops it.\n")
                .append("  Kafka bootstrap servers : ").append(kafka.bootstrapServers()).append('\n')
                .append("  Schema registry         : ").append(registry.url()).append('\n')
                .append("  Provider simulator      : ").append(simulator.baseUrl()).append('\n');
        for (Dialect dialect : Dialect.values()) {
            text.append(String.format("    %-8s base URL     : %s%n", dialect, simulator.baseUrl(dialect)));
        }
        text.append("  Topics (").append(DEFAULT_TOPIC_PARTITIONS).append(" partitions each): ")
                .append(defaultTopics().stream().map(DevStack::describe).collect(Collectors.joining(", ")))
                .append("\nFor the worker:\n")
                .append("  export KAFKA_BOOTSTRAP_SERVERS=").append(kafka.bootstrapServers()).append('\n')
                .append("  export SCHEMA_REGISTRY_URL=").append(registry.url());
        return text.toString();
    }

    private static String describe(NewTopic topic) {
        return topic.configs().isEmpty() ? topic.name() : topic.name() + " " + topic.configs();
    }

    private static DevStack start(EmbeddedKafka.Builder kafkaBuilder, ProviderSimulator.Builder simulatorBuilder) {
        EmbeddedKafka kafka = kafkaBuilder.start();
        try {
            return around(kafka, simulatorBuilder);
        } catch (RuntimeException e) {
            closeQuietlyInto(e, kafka);
            throw e;
        }
    }

    /** Starts a registry and a simulator next to {@code kafka}; on failure closes those two (not kafka). */
    private static DevStack around(EmbeddedKafka kafka, ProviderSimulator.Builder simulatorBuilder) {
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start();
        try {
            DevStack stack = new DevStack(kafka, registry, simulatorBuilder.start());
            LOG.info("Dev stack started: Kafka {}, schema registry {}, provider simulator {}",
                    kafka.bootstrapServers(), registry.url(), stack.simulator.baseUrl());
            return stack;
        } catch (RuntimeException e) {
            closeQuietlyInto(e, registry);
            throw e;
        }
    }

    private static void closeQuietlyInto(RuntimeException failure, AutoCloseable component) {
        if (component == null) {
            return;
        }
        try {
            component.close();
        } catch (Exception closeFailure) {
            failure.addSuppressed(closeFailure);
        }
    }

    private static NewTopic topic(String name, Map<String, String> configs) {
        return new NewTopic(name, DEFAULT_TOPIC_PARTITIONS, (short) 1).configs(configs);
    }

    private static Optional<String> setting(String name) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static int port(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, was '" + value + "'", e);
        }
    }

    /** Holder idiom: the JVM-wide stack starts on first access to {@link #shared()}, exactly once. */
    private static final class SharedInstance {
        static final DevStack STACK = startAndCloseAtExit();

        private static DevStack startAndCloseAtExit() {
            DevStack stack = around(EmbeddedKafka.shared(), ProviderSimulator.builder());
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "dev-stack-shutdown"));
            return stack;
        }
    }
}
