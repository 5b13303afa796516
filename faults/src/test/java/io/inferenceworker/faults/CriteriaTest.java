package io.inferenceworker.faults;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The pass criteria of issue 13, as the suite applies them to measured rows. */
class CriteriaTest {
    private static final SuiteSettings SETTINGS = SuiteSettings.shortForm();

    @Test
    void aLostJobFailsEveryScenario() {
        for (Injection injection : Injection.values()) {
            assertThat(Criteria.violations(new Scenario(injection, IntakeMode.GROUP), SETTINGS, 1, 0, 100, 1, 1, 5, 0))
                    .as(injection.name()).containsExactly("1 lost");
        }
    }

    @Test
    void duplicatesAreAllowedOnlyUpToTheJobsInFlightAtTheKills() {
        Scenario kill = new Scenario(Injection.SIGKILL_LOOP, IntakeMode.SHARE);
        assertThat(Criteria.violations(kill, SETTINGS, 0, 40, 40, 1, 2, 5, 0)).isEmpty();
        assertThat(Criteria.violations(kill, SETTINGS, 0, 41, 40, 1, 1, 5, 0))
                .containsExactly("41 duplicates > 40 in flight at the kills");
    }

    @Test
    void withoutRestartsOrWithGracefulOnesNoDuplicateIsAllowed() {
        for (Injection injection : new Injection[] {Injection.NONE, Injection.SIGTERM_LOOP}) {
            for (IntakeMode mode : IntakeMode.values()) {
                assertThat(Criteria.violations(new Scenario(injection, mode), SETTINGS, 0, 1, -1, 1, 1, 5, 0))
                        .containsExactly("1 duplicates (0 allowed)");
            }
        }
    }

    @Test
    void inShareModeOnlyTheRecordsWhoseAcknowledgementKafkaRefusedMayRunAgain() {
        Scenario graceful = new Scenario(Injection.SIGTERM_LOOP, IntakeMode.SHARE);
        assertThat(Criteria.violations(graceful, SETTINGS, 0, 13, -1, 1, 1, 5, 13)).isEmpty();
        assertThat(Criteria.violations(graceful, SETTINGS, 0, 14, -1, 1, 1, 5, 13))
                .containsExactly("14 duplicates (0 allowed beyond the 13 records whose acknowledgement Kafka refused)");
    }

    @Test
    void refusedAcknowledgementsAreCountedFromTheWorkersLogLines() {
        String line = "13:41:24.543 WARN  [share-intake-x.requests] i.i.intake.ShareGroupIntake - Share acknowledgement"
                + " failed for {BRDvDvDDRc2ZGBAnHGcNpQ:x.requests-1=[443, 453, 452], Q:x.requests-2=[7]}: "
                + "org.apache.kafka.common.errors.NotLeaderOrFollowerException: For requests intended only for the "
                + "leader, this error indicates that the broker is not the current leader.";
        assertThat(RefusedAcknowledgements.records(line)).isEqualTo(4);
    }

    @Test
    void poisonIsDeadLetteredExactlyOnceExceptThatASigkillMayRepeatIt() {
        Scenario none = new Scenario(Injection.NONE, IntakeMode.GROUP);
        assertThat(Criteria.violations(none, SETTINGS, 0, 0, -1, 1, 3, 5, 0))
                .containsExactly("a poison record dead-lettered 3 times");
        assertThat(Criteria.violations(none, SETTINGS, 0, 0, -1, 0, 1, 5, 0))
                .containsExactly("a poison record without dead letter");
        Scenario kill = new Scenario(Injection.SIGKILL_LOOP, IntakeMode.GROUP);
        assertThat(Criteria.violations(kill, SETTINGS, 0, 0, 10, 1, 2, 5, 0)).isEmpty();
    }

    @Test
    void scenarioIdsRoundTrip() {
        for (Scenario s : Scenarios.LONG_FORM) {
            assertThat(Scenario.parse(s.id())).isEqualTo(s);
        }
        assertThat(Scenarios.LONG_FORM).containsAll(Scenarios.SHORT_FORM);
    }
}
