package io.inferenceworker.faults;

/**
 * The fault a scenario injects while the worker runs its jobs ({@link Injector} does it), and the duplicates the
 * issue's criteria allow under it.
 */
enum Injection {
    /** Nothing: the fault mix and poison records only. No duplicate allowed. */
    NONE(DuplicateBound.ZERO),
    /** The worker is SIGKILLed and restarted, {@code kills} times. Duplicates up to the jobs in flight at the kills. */
    SIGKILL_LOOP(DuplicateBound.IN_FLIGHT_AT_KILLS),
    /** The worker is SIGTERMed and restarted, {@code kills} times: graceful, no duplicate allowed. */
    SIGTERM_LOOP(DuplicateBound.ZERO),
    /**
     * The broker is stopped (SIGTERM) and started again on the same port and data after an outage. The worker's
     * group may rebalance: duplicates up to one in-flight limit.
     */
    BROKER_RESTART(DuplicateBound.ONE_IN_FLIGHT_LIMIT),
    /** The usage topic is deleted for a while, then created again. No duplicate allowed. */
    OUTPUT_TOPIC_DELETED(DuplicateBound.ZERO),
    /** One more job whose result and whose dead letter (its original value) exceed max.request.size. */
    OVERSIZE_RECORD(DuplicateBound.ZERO),
    /** The second provider instance answers 503 to everything for longer than its jobs take to fill the budget. */
    PROVIDER_DOWN(DuplicateBound.ZERO),
    /** The schema registry answers 503 while the worker is restarted gracefully (an empty schema cache). */
    REGISTRY_OUTAGE(DuplicateBound.ZERO);

    /** How many duplicate results a scenario may have. */
    enum DuplicateBound {
        ZERO, IN_FLIGHT_AT_KILLS, ONE_IN_FLIGHT_LIMIT
    }

    private final DuplicateBound duplicateBound;

    Injection(DuplicateBound duplicateBound) {
        this.duplicateBound = duplicateBound;
    }

    DuplicateBound duplicateBound() {
        return duplicateBound;
    }

    /** Whether a poison record may be dead-lettered more than once (at least once is always required). */
    boolean poisonMayRepeat() {
        return this == SIGKILL_LOOP;
    }
}
