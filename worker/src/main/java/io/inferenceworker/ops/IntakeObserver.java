package io.inferenceworker.ops;

import io.inferenceworker.config.WorkerSettings;
import io.inferenceworker.intake.Intake;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Learns of the {@link Intake} when the context creates it, registers the in-flight gauge
 * {@value #IN_FLIGHT} for it, with {@value #IN_FLIGHT_LIMIT} ({@code worker.in-flight-limit}) beside it, and hands it
 * to the liveness check.
 *
 * <p>Why a creation listener rather than injecting the intake: creating the intake creates its Kafka consumer and the
 * whole job pipeline, which must not happen when the intake is disabled ({@code worker.enabled=false}, e.g. for
 * tools and tests), and an eager metrics bean would force it. Listening binds the gauge exactly when, and only if,
 * the intake exists, whatever the bean creation order.
 *
 * <p>Thread-safe.
 */
@Singleton
final class IntakeObserver implements BeanCreatedEventListener<Intake> {
    static final String IN_FLIGHT = "inference.jobs.in.flight";
    static final String IN_FLIGHT_LIMIT = "inference.jobs.in.flight.limit";

    /** The intake and when it was created. */
    record Observed(Intake intake, Instant createdAt) {
    }

    private final BeanProvider<MeterRegistry> registry;
    private final Clock clock;
    private final int inFlightLimit;
    private volatile Observed observed;

    IntakeObserver(BeanProvider<MeterRegistry> registry, Clock clock, WorkerSettings worker) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.inFlightLimit = worker.getInFlightLimit();
    }

    @Override
    public Intake onCreated(BeanCreatedEvent<Intake> event) {
        Intake intake = event.getBean();
        synchronized (this) {
            if (observed == null) {
                observed = new Observed(intake, clock.instant());
                if (registry.isPresent()) {
                    Gauge.builder(IN_FLIGHT, intake, Intake::inFlight)
                            .description("Jobs started and not yet finished by this worker")
                            .strongReference(true)
                            .register(registry.get());
                    Gauge.builder(IN_FLIGHT_LIMIT, () -> inFlightLimit)
                            .description("The most jobs this worker runs at once (worker.in-flight-limit)")
                            .strongReference(true)
                            .register(registry.get());
                }
            }
        }
        return intake;
    }

    /** The intake, once the context created it; empty while it does not exist (or never will). */
    Optional<Observed> intake() {
        return Optional.ofNullable(observed);
    }
}
