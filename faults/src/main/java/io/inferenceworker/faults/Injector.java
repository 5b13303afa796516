package io.inferenceworker.faults;

import io.inferenceworker.testkit.sim.Behaviour;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Injects a scenario's fault into a running scenario, at points of its progress (the share of jobs ended), so that
 * the fault lands mid-run whatever the host's speed. Each wait is bounded by the scenario's timeout. Not
 * thread-safe: the scenario thread runs it once.
 */
final class Injector {
    private static final double MID_RUN = 0.3;

    private final SuiteSettings settings;
    private final FaultStack stack;
    private final Workers workers;
    private final Workload workload;
    private final OutputWatch watch;
    private final InFlightAtKill inFlightAtKill;
    private final String usageTopic;
    private final Duration timeout;
    private final List<String> notes = new ArrayList<>();

    Injector(SuiteSettings settings, FaultStack stack, Workers workers, Workload workload, OutputWatch watch,
             InFlightAtKill inFlightAtKill, String usageTopic) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.stack = Objects.requireNonNull(stack, "stack");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.workload = Objects.requireNonNull(workload, "workload");
        this.watch = Objects.requireNonNull(watch, "watch");
        this.inFlightAtKill = Objects.requireNonNull(inFlightAtKill, "inFlightAtKill");
        this.usageTopic = Objects.requireNonNull(usageTopic, "usageTopic");
        this.timeout = settings.timeout();
    }

    /** Injects {@code injection}; returns notes for the scenario's row. */
    List<String> inject(Injection injection) throws InterruptedException {
        switch (injection) {
            case NONE, OVERSIZE_RECORD -> {
                // the workload carries the fault (poison records, fault mix, the oversize job)
            }
            case SIGKILL_LOOP -> {
                for (int i = 1; i <= settings.kills(); i++) {
                    if (reached((double) i / (settings.kills() + 1))) {
                        workers.killAndRestart(inFlightAtKill);
                    }
                }
            }
            case SIGTERM_LOOP -> {
                for (int i = 1; i <= settings.kills(); i++) {
                    if (reached((double) i / (settings.kills() + 1))) {
                        workers.terminateAndRestart();
                    }
                }
            }
            case BROKER_RESTART -> {
                if (reached(MID_RUN)) {
                    stack.broker().stop();
                    Waits.hold(settings.outage());
                    stack.broker().start();
                }
            }
            case OUTPUT_TOPIC_DELETED -> {
                if (reached(MID_RUN)) {
                    deleteAndRecreateUsage();
                }
            }
            case PROVIDER_DOWN -> providerDown();
            case REGISTRY_OUTAGE -> {
                if (reached(MID_RUN)) {
                    stack.registry().setAvailable(false);
                    try {
                        workers.terminateAndRestart();
                        Waits.hold(settings.outage());
                    } finally {
                        stack.registry().setAvailable(true);
                    }
                }
            }
        }
        return List.copyOf(notes);
    }

    /** The share of jobs ended; the number of ended jobs at the start of an outage tells what still flowed. */
    double progress() {
        return (double) ended(workload.jobIds()) / workload.jobIds().size();
    }

    private long ended(java.util.Collection<String> ids) {
        return ids.stream().filter(watch::ended).count();
    }

    private boolean reached(double share) throws InterruptedException {
        boolean reached = Waits.until(() -> progress() >= share || workers.crashed(), timeout);
        if (!reached) {
            notes.add(String.format("progress %.0f%% not reached", share * 100));
        }
        return reached;
    }

    private void deleteAndRecreateUsage() throws InterruptedException {
        try (Admin admin = stack.broker().newAdmin()) {
            admin.deleteTopics(List.of(usageTopic)).all().get(60, TimeUnit.SECONDS);
            Waits.hold(settings.outage());
            // A deletion completes asynchronously: creation fails with TopicExists until it has.
            boolean created = Waits.until(() -> create(admin), Duration.ofSeconds(60));
            if (!created) {
                notes.add("usage topic not re-created");
            }
        } catch (ExecutionException | TimeoutException e) {
            notes.add("usage topic not deleted: " + e);
        }
    }

    private boolean create(Admin admin) {
        try {
            admin.createTopics(List.of(new NewTopic(usageTopic, settings.partitions(), (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Provider {@code down} answered 503 since the start: its jobs fill the in-flight budget within seconds. After the
     * outage they get answers. Notes how many of the healthy provider's jobs ended during the outage.
     */
    private void providerDown() throws InterruptedException {
        List<String> healthy = workload.jobs().values().stream()
                .filter(j -> j.provider().equals(Workload.PROVIDER)).map(Workload.Job::id).toList();
        Waits.until(() -> ended(healthy) > 0, timeout);
        long start = System.nanoTime();
        Waits.until(() -> ended(healthy) == healthy.size(), settings.outage());
        long endedDuringOutage = ended(healthy);
        long waited = System.nanoTime() - start;
        if (waited < settings.outage().toNanos()) {
            Waits.hold(settings.outage().minusNanos(waited));
        }
        for (Workload.Job job : workload.downJobs()) {
            stack.simulator().onModel(job.id(), Behaviour.ok());
        }
        notes.add(String.format("%d of %d jobs of the healthy provider ended during the %d s outage of the other",
                endedDuringOutage, healthy.size(), settings.outage().toSeconds()));
        notes.add(String.format("provider down: %d calls to it", workload.downJobs().stream()
                .mapToLong(j -> stack.simulator().totalRequestsForModel(j.id())).sum()));
    }

}
