package io.inferenceworker.job;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The start instants of the jobs running now, for the age of the oldest one.
 *
 * <p>Starting and ending a job is one add and one remove in a concurrent set (the hot path, thousands of jobs a
 * second); only {@link #oldestAge()}, asked by a metrics scrape or a liveness probe, walks the set (at most the
 * in-flight limit of entries). Thread-safe.
 */
final class RunningJobs {
    /** One running job; identity, not value, equality: two jobs may start in the same millisecond. */
    static final class Running {
        private final long startedMillis;

        private Running(long startedMillis) {
            this.startedMillis = startedMillis;
        }
    }

    private final Set<Running> running = ConcurrentHashMap.newKeySet();
    private final Clock clock;

    RunningJobs(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    Running started() {
        Running job = new Running(clock.millis());
        running.add(job);
        return job;
    }

    void ended(Running job) {
        running.remove(job);
    }

    /** How long the oldest running job has been running; empty when none runs. */
    Optional<Duration> oldestAge() {
        long oldest = Long.MAX_VALUE;
        for (Running job : running) {
            oldest = Math.min(oldest, job.startedMillis);
        }
        return oldest == Long.MAX_VALUE ? Optional.empty()
                : Optional.of(Duration.ofMillis(Math.max(0, clock.millis() - oldest)));
    }
}
