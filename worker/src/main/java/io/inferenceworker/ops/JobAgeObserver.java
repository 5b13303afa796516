package io.inferenceworker.ops;

import io.inferenceworker.job.JobPipeline;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Learns of the {@link JobPipeline} when the context creates it (only when the intake is enabled, as
 * {@link IntakeObserver} explains), registers the gauge {@value #OLDEST_JOB_AGE} (Prometheus:
 * {@code inference_oldest_job_age_seconds}, 0 when no job runs) and hands the pipeline to the liveness check.
 *
 * <p>Thread-safe.
 */
@Singleton
final class JobAgeObserver implements BeanCreatedEventListener<JobPipeline> {
    static final String OLDEST_JOB_AGE = "inference.oldest.job.age";

    private final BeanProvider<MeterRegistry> registry;
    private volatile JobPipeline pipeline;

    JobAgeObserver(BeanProvider<MeterRegistry> registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public JobPipeline onCreated(BeanCreatedEvent<JobPipeline> event) {
        JobPipeline created = event.getBean();
        synchronized (this) {
            if (pipeline == null) {
                pipeline = created;
                if (registry.isPresent()) {
                    Gauge.builder(OLDEST_JOB_AGE, created, JobAgeObserver::oldestSeconds)
                            .description("How long the oldest job in flight has been running (0 when none runs)")
                            .baseUnit("seconds")
                            .strongReference(true)
                            .register(registry.get());
                }
            }
        }
        return created;
    }

    /** The age of the oldest running job; empty when none runs or the pipeline does not exist. */
    Optional<Duration> oldestJobAge() {
        JobPipeline p = pipeline;
        return p == null ? Optional.empty() : p.oldestJobAge();
    }

    /** Whether the pipeline exists (the intake is enabled and started). */
    boolean hasPipeline() {
        return pipeline != null;
    }

    private static double oldestSeconds(JobPipeline pipeline) {
        return pipeline.oldestJobAge().map(d -> d.toMillis() / 1000.0).orElse(0.0);
    }
}
