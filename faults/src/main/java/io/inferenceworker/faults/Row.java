package io.inferenceworker.faults;

import java.util.List;
import java.util.Objects;

/**
 * The measured outcome of one scenario, one line of the suite's table.
 *
 * @param scenario        the scenario's id
 * @param mode            the intake mode
 * @param jobs            jobs produced (poison records not included)
 * @param lost            jobs with neither a result nor a dead letter at the end
 * @param duplicates      results beyond the first, summed over job IDs
 * @param callsPerJob     provider calls (the simulator's per-model counts) divided by jobs
 * @param extraCalls      provider calls beyond what each job needs when run once (a job run twice, or retried more)
 * @param poison          poison records produced
 * @param poisonMin       the fewest dead letters of a poison record
 * @param poisonMax       the most dead letters of a poison record
 * @param inFlightAtKills jobs in flight at the SIGKILLs, summed (see {@link Workers}); -1 without a kill
 * @param seconds         the scenario's wall time
 * @param notes           what else happened (stops that needed SIGKILL, the provider outage's effect, ...)
 * @param violations      the pass criteria it broke; empty when it passed
 */
record Row(String scenario, IntakeMode mode, int jobs, int lost, int duplicates, double callsPerJob, long extraCalls,
           int poison, int poisonMin, int poisonMax, int inFlightAtKills, long seconds, List<String> notes,
           List<String> violations) {

    Row {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(mode, "mode");
        notes = List.copyOf(notes);
        violations = List.copyOf(violations);
    }

    boolean passed() {
        return violations.isEmpty();
    }

    /** Dead letters per poison record: {@code 1} when each has exactly one, else {@code min–max}. */
    String deadLettersPerPoison() {
        if (poison == 0) {
            return "-";
        }
        return poisonMin == poisonMax ? Integer.toString(poisonMin) : poisonMin + "–" + poisonMax;
    }
}
