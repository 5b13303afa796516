package io.inferenceworker.faults;

import java.time.Duration;

/**
 * How big and how long each scenario is. Immutable; {@link #longForm()} and {@link #shortForm()} are the two
 * sizes, {@code with*} change one value.
 *
 * @param jobs            jobs per scenario (the long form's default 3,000; the short form's 300)
 * @param poison          poison records per scenario (5)
 * @param partitions      partitions of every topic (4)
 * @param inFlightLimit   the worker's {@code worker.in-flight-limit} (100, so that provider waits fill it)
 * @param kills           restarts in the SIGKILL and SIGTERM loops (3; short form 1)
 * @param providerLatency the simulator's latency before every answer (150 ms, plus up to as much jitter)
 * @param outage          how long the broker, the usage topic, the second provider or the registry stay away (20 s)
 * @param quiet           no output for this long after every job ended: the scenario is over (5 s; short form 3 s)
 * @param stall           no output for this long once the injection is over: the scenario ends with what it has
 *                        (60 s; short form 40 s)
 * @param timeout         a scenario ends after this long whatever happens (10 min; short form 150 s)
 */
record SuiteSettings(int jobs, int poison, int partitions, int inFlightLimit, int kills, Duration providerLatency,
                     Duration outage, Duration quiet, Duration stall, Duration timeout) {

    /** The worker's {@code worker.shutdown-grace} in every scenario. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    SuiteSettings {
        if (jobs < 1 || poison < 0 || partitions < 1 || inFlightLimit < 1 || kills < 1) {
            throw new IllegalArgumentException("jobs, partitions, in-flight limit and kills must be positive, "
                    + "poison at least 0");
        }
    }

    static SuiteSettings longForm() {
        return new SuiteSettings(3000, 5, 4, 100, 3, Duration.ofMillis(150), Duration.ofSeconds(20),
                Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofMinutes(10));
    }

    static SuiteSettings shortForm() {
        return new SuiteSettings(300, 5, 4, 100, 1, Duration.ofMillis(150), Duration.ofSeconds(20),
                Duration.ofSeconds(3), Duration.ofSeconds(40), Duration.ofSeconds(150));
    }

    SuiteSettings withJobs(int n) {
        return new SuiteSettings(n, poison, partitions, inFlightLimit, kills, providerLatency, outage, quiet, stall,
                timeout);
    }

    SuiteSettings withKills(int n) {
        return new SuiteSettings(jobs, poison, partitions, inFlightLimit, n, providerLatency, outage, quiet, stall,
                timeout);
    }
}
