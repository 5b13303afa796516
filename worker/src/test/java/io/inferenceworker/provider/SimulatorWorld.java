package io.inferenceworker.provider;

import io.inferenceworker.provider.transport.ProviderTransport;
import io.inferenceworker.testkit.sim.Behaviour;
import io.inferenceworker.testkit.sim.Dialect;
import io.inferenceworker.testkit.sim.ProviderSimulator;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a provider adapter test class runs against: a real {@link ProviderSimulator} (unless {@link #offline()}) and
 * a {@link ProviderTransport}, started before the class's {@code @BeforeAll} methods and closed after its
 * {@code @AfterAll} methods. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SimulatorWorld WORLD = SimulatorWorld.of(ProviderSimulator.builder().withApiKey(Dialect.VULTR, KEY));
 * }</pre>
 *
 * <p>Thread-safe once started: {@link #model} may be called from concurrent tests.
 */
public final class SimulatorWorld implements BeforeAllCallback, AfterAllCallback {
    private final Supplier<ProviderSimulator> starter;
    private final AtomicInteger models = new AtomicInteger();
    private volatile ProviderSimulator simulator;
    private volatile ProviderTransport transport;

    private SimulatorWorld(Supplier<ProviderSimulator> starter) {
        this.starter = starter;
    }

    /** A simulator with the defaults of {@link ProviderSimulator#start()}. */
    public static SimulatorWorld start() {
        return new SimulatorWorld(ProviderSimulator::start);
    }

    /** A simulator as {@code builder} configures it. */
    public static SimulatorWorld of(ProviderSimulator.Builder builder) {
        Objects.requireNonNull(builder, "builder");
        return new SimulatorWorld(builder::start);
    }

    /** A transport only, for tests that never reach a server (or serve their own). */
    public static SimulatorWorld offline() {
        return new SimulatorWorld(() -> null);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        simulator = starter.get();
        transport = new ProviderTransport(Clock.systemUTC());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (transport != null) {
                transport.close();
            }
        } finally {
            if (simulator != null) {
                simulator.close();
            }
        }
    }

    /** The running simulator. */
    public ProviderSimulator simulator() {
        if (simulator == null) {
            throw new IllegalStateException("no simulator: offline, or used before the test class started");
        }
        return simulator;
    }

    /** The transport the providers of the test class share. */
    public ProviderTransport transport() {
        if (transport == null) {
            throw new IllegalStateException("used before the test class started");
        }
        return transport;
    }

    /** Settings of instance {@code name} of {@code type} at the simulator's {@code dialect}. */
    public ProviderSettings settings(String name, String type, Dialect dialect) {
        return ChatFixtures.settings(name, type, simulator().baseUrl(dialect));
    }

    /** The provider the factory {@code dialect} builds on the shared transport makes of {@code settings}. */
    public ChatProvider create(Function<ProviderTransport, ? extends ProviderFactory> dialect,
                               ProviderSettings settings) {
        return dialect.apply(transport()).create(settings);
    }

    /**
     * A model name no other test of the class uses ({@code scenario-N}), so its scenario is its own; programmed with
     * {@code behaviours} when given.
     */
    public String model(String scenario, Behaviour... behaviours) {
        String model = scenario + "-" + models.incrementAndGet();
        if (behaviours.length > 0) {
            simulator().onModel(model, behaviours);
        }
        return model;
    }
}
