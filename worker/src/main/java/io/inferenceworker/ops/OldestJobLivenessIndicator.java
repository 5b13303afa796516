package io.inferenceworker.ops;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.reactivestreams.Publisher;

/**
 * Liveness, {@code /health/liveness}: no job in flight is older than {@code ops.max-job-age}. A job that old is
 * stuck (say, a dead letter that cannot be written, so its record can neither be committed nor replayed elsewhere);
 * DOWN makes the orchestrator restart the worker, after which the job is replayed. UP when no job runs or the intake
 * is disabled.
 *
 * <p>Thread-safe; answers from memory (a walk over the running jobs), without I/O.
 */
@Singleton
@Liveness
final class OldestJobLivenessIndicator implements HealthIndicator {
    static final String NAME = "jobs";

    private final JobAgeObserver observer;
    private final Duration maxJobAge;

    OldestJobLivenessIndicator(JobAgeObserver observer, OpsSettings settings) {
        this.observer = Objects.requireNonNull(observer, "observer");
        this.maxJobAge = settings.getMaxJobAge();
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(check());
    }

    HealthResult check() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("maxJobAgeSeconds", maxJobAge.toSeconds());
        Optional<Duration> oldest = observer.oldestJobAge();
        oldest.ifPresent(age -> details.put("oldestJobAgeSeconds", age.toSeconds()));
        boolean stuck = oldest.isPresent() && oldest.get().compareTo(maxJobAge) > 0;
        return HealthResult.builder(NAME, stuck ? HealthStatus.DOWN : HealthStatus.UP).details(details).build();
    }
}
