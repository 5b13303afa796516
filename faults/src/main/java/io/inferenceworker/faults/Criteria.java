package io.inferenceworker.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * Issue 13's pass criteria, applied to a measured row: lost 0 everywhere; no duplicate result without a restart
 * (both modes) and with graceful restarts; after SIGKILLs at most as many duplicates as jobs in flight at the kills;
 * after a broker restart at most one in-flight limit (one rebalance); every poison record dead-lettered exactly
 * once (at least once after SIGKILLs, where a poison record in flight may be dead-lettered again).
 *
 * <p>One measured exception, share mode only: Kafka's share consumer (4.3) fails, on the client, the acknowledgements
 * of records whose partition has left the consumer's share session after a reassignment (any worker joining or
 * leaving reassigns), and the broker hands those records out again once their lock expires, so their jobs run again.
 * Duplicates up to the number of such refused acknowledgements (counted from the workers' logs, see
 * {@link RefusedAcknowledgements}) are therefore not held against the "no duplicate" criteria; any duplicate beyond
 * them is.
 */
final class Criteria {
    private Criteria() {
    }

    /**
     * The criteria {@code row} breaks under {@code scenario}; empty when it passes.
     *
     * @param refusedAcknowledgements records whose acknowledgement Kafka's share client refused (see the class comment)
     */
    static List<String> violations(Scenario scenario, SuiteSettings settings, int lost, int duplicates,
                                   int inFlightAtKills, int poisonMin, int poisonMax, int poison,
                                   int refusedAcknowledgements) {
        List<String> violations = new ArrayList<>();
        if (lost > 0) {
            violations.add(lost + " lost");
        }
        switch (scenario.injection().duplicateBound()) {
            case ZERO -> {
                if (duplicates > refusedAcknowledgements) {
                    violations.add(duplicates + " duplicates (0 allowed"
                            + (refusedAcknowledgements > 0 ? " beyond the " + refusedAcknowledgements
                            + " records whose acknowledgement Kafka refused)" : ")"));
                }
            }
            case IN_FLIGHT_AT_KILLS -> {
                if (duplicates > Math.max(0, inFlightAtKills)) {
                    violations.add(duplicates + " duplicates > " + inFlightAtKills + " in flight at the kills");
                }
            }
            case ONE_IN_FLIGHT_LIMIT -> {
                if (duplicates > settings.inFlightLimit()) {
                    violations.add(duplicates + " duplicates > in-flight limit " + settings.inFlightLimit());
                }
            }
        }
        if (poison > 0 && poisonMin < 1) {
            violations.add("a poison record without dead letter");
        }
        if (poison > 0 && poisonMax > 1 && !scenario.injection().poisonMayRepeat()) {
            violations.add("a poison record dead-lettered " + poisonMax + " times");
        }
        return violations;
    }
}
