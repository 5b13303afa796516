package io.inferenceworker.bench;

import io.inferenceworker.testkit.EmbeddedKafka;
import io.inferenceworker.testkit.EmbeddedSchemaRegistry;
import io.inferenceworker.testkit.sim.ProviderSimulator;
import java.util.List;

/**
 * The dev stack's components as the benchmark needs them: the testkit's {@link EmbeddedKafka} and
 * {@link EmbeddedSchemaRegistry}, and a {@link ProviderSimulator} with its request log off (recording every request
 * would cost the measured host CPU and memory), and an {@link OtlpSink} for the scenarios that export spans.
 * {@code DevStack} cannot turn recording off, hence this.
 */
record BenchStack(EmbeddedKafka kafka, EmbeddedSchemaRegistry registry, ProviderSimulator simulator, OtlpSink otlp)
        implements AutoCloseable {

    static BenchStack start() {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        EmbeddedSchemaRegistry registry = null;
        try {
            registry = EmbeddedSchemaRegistry.start();
            return new BenchStack(kafka, registry, ProviderSimulator.builder().withRecording(false).start(),
                    OtlpSink.start());
        } catch (RuntimeException e) {
            if (registry != null) {
                registry.close();
            }
            kafka.close();
            throw e;
        }
    }

    /** Stops the simulator, the registry and the broker, in that order. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (AutoCloseable c : List.<AutoCloseable>of(otlp, simulator, registry, kafka)) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("could not stop the benchmark stack", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
