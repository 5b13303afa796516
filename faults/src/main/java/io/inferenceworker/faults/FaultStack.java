package io.inferenceworker.faults;

import io.inferenceworker.testkit.EmbeddedSchemaRegistry;
import io.inferenceworker.testkit.JvmForks;
import io.inferenceworker.testkit.sim.ProviderSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * What every scenario runs against: the broker as a process of its own ({@link BrokerProcess}), the embedded schema
 * registry and the provider simulator (in this JVM, on loopback), and the launcher of the worker JVMs. Start it
 * with {@link #start(Path)}; {@link #close()} stops everything. Not thread-safe.
 */
final class FaultStack implements AutoCloseable {
    private final JvmForks jvms;
    private final BrokerProcess broker;
    private final EmbeddedSchemaRegistry registry;
    private final ProviderSimulator simulator;

    private FaultStack(JvmForks jvms, BrokerProcess broker, EmbeddedSchemaRegistry registry,
                       ProviderSimulator simulator) {
        this.jvms = jvms;
        this.broker = broker;
        this.registry = registry;
        this.simulator = simulator;
    }

    /** Starts the stack; process logs and the broker's data go below {@code workDir}. */
    static FaultStack start(Path workDir) throws IOException, InterruptedException {
        Objects.requireNonNull(workDir, "workDir");
        Files.createDirectories(workDir);
        JvmForks jvms = new JvmForks(workDir.resolve("logs"));
        Path logback = workDir.resolve("broker-logback.xml");
        try (InputStream in = FaultStack.class.getResourceAsStream("/broker-logback.xml")) {
            Files.copy(Objects.requireNonNull(in, "broker-logback.xml"), logback, StandardCopyOption.REPLACE_EXISTING);
        }
        BrokerProcess broker = new BrokerProcess(jvms, workDir.resolve("kafka-data"), logback);
        broker.start();
        EmbeddedSchemaRegistry registry = null;
        try {
            registry = EmbeddedSchemaRegistry.start();
            // Recording off: thousands of jobs; the per-model counters are what the suite reads.
            ProviderSimulator simulator = ProviderSimulator.builder().withRecording(false).start();
            return new FaultStack(jvms, broker, registry, simulator);
        } catch (RuntimeException e) {
            if (registry != null) {
                registry.close();
            }
            broker.close();
            throw e;
        }
    }

    JvmForks jvms() {
        return jvms;
    }

    BrokerProcess broker() {
        return broker;
    }

    EmbeddedSchemaRegistry registry() {
        return registry;
    }

    ProviderSimulator simulator() {
        return simulator;
    }

    @Override
    public void close() throws InterruptedException {
        simulator.close();
        registry.close();
        broker.close();
    }
}
