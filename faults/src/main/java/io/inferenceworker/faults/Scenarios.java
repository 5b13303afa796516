package io.inferenceworker.faults;

import static io.inferenceworker.faults.Injection.BROKER_RESTART;
import static io.inferenceworker.faults.Injection.NONE;
import static io.inferenceworker.faults.Injection.OUTPUT_TOPIC_DELETED;
import static io.inferenceworker.faults.Injection.OVERSIZE_RECORD;
import static io.inferenceworker.faults.Injection.PROVIDER_DOWN;
import static io.inferenceworker.faults.Injection.REGISTRY_OUTAGE;
import static io.inferenceworker.faults.Injection.SIGKILL_LOOP;
import static io.inferenceworker.faults.Injection.SIGTERM_LOOP;
import static io.inferenceworker.faults.IntakeMode.GROUP;
import static io.inferenceworker.faults.IntakeMode.SHARE;

import java.util.List;

/** The scenario lists: every scenario (the long form) and the short form that {@code ./mvnw verify} runs. */
final class Scenarios {

    /**
     * The short form run by {@code FaultSuiteTest} in {@code ./mvnw verify}: the restart loops and the run without
     * faults of the worker in both intake modes (about 15 s each at 300 jobs on 2 cores).
     */
    static final List<Scenario> SHORT_FORM = List.of(
            new Scenario(NONE, GROUP),
            new Scenario(NONE, SHARE),
            new Scenario(SIGKILL_LOOP, GROUP),
            new Scenario(SIGKILL_LOOP, SHARE),
            new Scenario(SIGTERM_LOOP, GROUP),
            new Scenario(SIGTERM_LOOP, SHARE));

    /** Every scenario of issue 13 in both intake modes, in the order they run. */
    static final List<Scenario> LONG_FORM = List.of(
            new Scenario(NONE, GROUP),
            new Scenario(NONE, SHARE),
            new Scenario(SIGKILL_LOOP, GROUP),
            new Scenario(SIGKILL_LOOP, SHARE),
            new Scenario(SIGTERM_LOOP, GROUP),
            new Scenario(SIGTERM_LOOP, SHARE),
            new Scenario(BROKER_RESTART, GROUP),
            new Scenario(BROKER_RESTART, SHARE),
            new Scenario(OUTPUT_TOPIC_DELETED, GROUP),
            new Scenario(OUTPUT_TOPIC_DELETED, SHARE),
            new Scenario(OVERSIZE_RECORD, GROUP),
            new Scenario(OVERSIZE_RECORD, SHARE),
            new Scenario(PROVIDER_DOWN, GROUP),
            new Scenario(PROVIDER_DOWN, SHARE),
            new Scenario(REGISTRY_OUTAGE, GROUP),
            new Scenario(REGISTRY_OUTAGE, SHARE));

    private Scenarios() {
    }
}
