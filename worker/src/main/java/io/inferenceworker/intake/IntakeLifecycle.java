package io.inferenceworker.intake;

import io.inferenceworker.config.TopicSettings;
import io.inferenceworker.config.WorkerSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the intake with the application and stops it gracefully on shutdown (SIGTERM closes the context): stop
 * taking records, let in-flight jobs finish within {@code worker.shutdown-grace}, commit, close. The producer is
 * closed after this bean, which flushes every output.
 */
@Singleton
@Requires(property = "worker.enabled", notEquals = "false")
public class IntakeLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(IntakeLifecycle.class);

    private final Intake intake;
    private final WorkerSettings settings;
    private final TopicSettings topics;

    public IntakeLifecycle(Intake intake, WorkerSettings settings, TopicSettings topics) {
        this.intake = Objects.requireNonNull(intake, "intake");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.topics = Objects.requireNonNull(topics, "topics");
    }

    @EventListener
    void onStartup(StartupEvent event) {
        LOG.info("Worker {} starting intake ({} mode, in-flight limit {} jobs, {} request bytes, request topics and "
                + "weights {})", settings.getId(), settings.getIntakeMode(), settings.getInFlightLimit(),
                settings.getInFlightBytesLimit(), topics.requestTopics());
        intake.start();
    }

    /**
     * On {@link ShutdownEvent}, which Micronaut fires before it destroys any bean: stopping from a {@code @PreDestroy}
     * would run after the job pipeline's own close (beans are not destroyed in dependency order), which waits for
     * running jobs and then interrupts them behind the intake's back.
     */
    @EventListener
    void onShutdown(ShutdownEvent event) {
        LOG.info("Worker {} stopping: letting in-flight jobs finish for up to {}", settings.getId(),
                settings.getShutdownGrace());
        intake.stop(settings.getShutdownGrace());
    }
}
