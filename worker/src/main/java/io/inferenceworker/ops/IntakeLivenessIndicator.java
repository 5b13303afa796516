package io.inferenceworker.ops;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.reactivestreams.Publisher;

/**
 * Liveness, {@code /health/liveness}: the process answers and the intake's poll thread runs. DOWN only when the
 * intake exists, is not polling, and was created more than {@code ops.intake-start-grace} ago: its poll loop died (it
 * stops on an unexpected error) and only a restart brings it back. UP when the intake is disabled.
 *
 * <p>Thread-safe; answers from memory, without I/O.
 */
@Singleton
@Liveness
final class IntakeLivenessIndicator implements HealthIndicator {
    static final String NAME = "intake";

    private final IntakeObserver observer;
    private final Duration startGrace;
    private final Clock clock;

    IntakeLivenessIndicator(IntakeObserver observer, OpsSettings settings, Clock clock) {
        this.observer = Objects.requireNonNull(observer, "observer");
        this.startGrace = settings.getIntakeStartGrace();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(check());
    }

    HealthResult check() {
        Map<String, Object> details = new LinkedHashMap<>();
        HealthStatus status = observer.intake().map(observed -> {
            details.put("inFlight", observed.intake().inFlight());
            if (observed.intake().isRunning()) {
                details.put("state", "running");
                return HealthStatus.UP;
            }
            if (clock.instant().isBefore(observed.createdAt().plus(startGrace))) {
                details.put("state", "starting");
                return HealthStatus.UP;
            }
            details.put("state", "stopped");
            return HealthStatus.DOWN;
        }).orElseGet(() -> {
            details.put("state", "disabled");
            return HealthStatus.UP;
        });
        return HealthResult.builder(NAME, status).details(details).build();
    }
}
