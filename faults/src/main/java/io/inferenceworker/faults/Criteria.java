package io.inferenceworker.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * Issue 13's pass criteria, applied to a measured row: lost 0 everywhere; no duplicate result without a restart
 * (both modes) and with graceful restarts; after SIGKILLs at most as many duplicates as jobs in flight at the kills;
 * after a broker restart at most one in-flight limit (one rebalance); every poison record dead-lettered exactly
 * once (at least once after SIGKILLs, where a poison record in flight may be dead-lettered again).
 */
final class Criteria {
    private Criteria() {
    }

    /** The criteria {@code row} breaks under {@code scenario}; empty when it passes. */
    static List<String> violations(Scenario scenario, SuiteSettings settings, int lost, int duplicates,
                                   int inFlightAtKills, int poisonMin, int poisonMax, int poison) {
        List<String> violations = new ArrayList<>();
        if (lost > 0) {
            violations.add(lost + " lost");
        }
        switch (scenario.injection().duplicateBound()) {
            case ZERO -> {
                if (duplicates > 0) {
                    violations.add(duplicates + " duplicates (0 allowed)");
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
