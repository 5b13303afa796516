package io.inferenceworker.feedback;

import io.inferenceworker.config.WorkerSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * Starts the votes component with the application and stops it gracefully, within {@code worker.shutdown-grace}, on
 * shutdown. Like the intake, it does not run in a context started with {@code worker.enabled: false} (tools, tests);
 * {@code votes.enabled: false} turns off only the votes. When the topics do not fit (see {@link CoPartitioning}) the
 * worker still serves completions; the votes component logs an error and stays stopped.
 */
@Singleton
@Requires(property = "worker.enabled", notEquals = "false")
@Requires(property = "votes.enabled", notEquals = "false")
public class VotesLifecycle {
    private final VotesService votes;
    private final WorkerSettings worker;

    public VotesLifecycle(VotesService votes, WorkerSettings worker) {
        this.votes = votes;
        this.worker = worker;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        votes.start();
    }

    @PreDestroy
    void onShutdown() {
        votes.close(worker.getShutdownGrace());
    }
}
