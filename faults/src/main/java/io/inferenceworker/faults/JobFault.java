package io.inferenceworker.faults;

import io.inferenceworker.testkit.sim.Behaviour;
import java.time.Duration;
import java.util.List;

/**
 * What the provider simulator does with one job's calls (the fault mix), and how many provider calls the job needs
 * when it is run exactly once: one for a job that succeeds or fails at once, two for a job whose first call fails
 * with a retryable error. Every job has a model of its own (its job ID), so the simulator's per-model counters are
 * per-job counters.
 */
enum JobFault {
    /** Answers at once. */
    NONE(1),
    /** 503 once, then the answer (a retry). */
    UNAVAILABLE_ONCE(2),
    /** 429 with {@code Retry-After: 1}, then the answer. */
    RATE_LIMITED_ONCE(2),
    /** A 200 whose body is not JSON, then the answer. */
    MALFORMED_ONCE(2),
    /** 400: the job fails (FAILED result and a dead letter). */
    BAD_REQUEST(1),
    /** 401: the job fails (FAILED result and a dead letter). */
    UNAUTHORIZED(1);

    private final int callsWhenRunOnce;

    JobFault(int callsWhenRunOnce) {
        this.callsWhenRunOnce = callsWhenRunOnce;
    }

    /** The same fault without a provider outage: a 503 becomes a 429 (busy, which no circuit breaker counts). */
    JobFault withoutOutage() {
        return this == UNAVAILABLE_ONCE ? RATE_LIMITED_ONCE : this;
    }

    int callsWhenRunOnce() {
        return callsWhenRunOnce;
    }

    /** The simulator's behaviour sequence for a job with this fault (the last step repeats). */
    List<Behaviour> behaviours() {
        return switch (this) {
            case NONE -> List.of(Behaviour.ok());
            case UNAVAILABLE_ONCE -> List.of(Behaviour.status(503), Behaviour.ok());
            case RATE_LIMITED_ONCE -> List.of(Behaviour.rateLimited(Duration.ofSeconds(1)), Behaviour.ok());
            case MALFORMED_ONCE -> List.of(Behaviour.malformedJson(), Behaviour.ok());
            case BAD_REQUEST -> List.of(Behaviour.status(400));
            case UNAUTHORIZED -> List.of(Behaviour.status(401));
        };
    }

    /** The mix: one job in four has a fault, each fault as often as the others. */
    static JobFault forSequence(int seq) {
        return switch (seq % 20) {
            case 0 -> UNAVAILABLE_ONCE;
            case 1 -> RATE_LIMITED_ONCE;
            case 2 -> MALFORMED_ONCE;
            case 3 -> BAD_REQUEST;
            case 4 -> UNAUTHORIZED;
            default -> NONE;
        };
    }
}
