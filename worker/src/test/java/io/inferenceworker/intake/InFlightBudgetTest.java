package io.inferenceworker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InFlightBudgetTest {

    @Test
    void admitsJobsWhileBothTheJobAndTheByteLimitAllow() {
        InFlightBudget budget = new InFlightBudget(3, 10_000);
        assertThat(budget.tryAcquire(4_000)).isTrue();
        assertThat(budget.tryAcquire(4_000)).isTrue();
        assertThat(budget.tryAcquire(4_000)).as("12,000 bytes > 10,000").isFalse();
        assertThat(budget.tryAcquire(2_000)).isTrue();
        assertThat(budget.tryAcquire(1)).as("3 jobs").isFalse();
        budget.release(4_000);
        assertThat(budget.jobs()).isEqualTo(2);
        assertThat(budget.bytes()).isEqualTo(6_000);
        assertThat(budget.tryAcquire(4_000)).isTrue();
    }

    @Test
    void aJobLargerThanTheWholeBudgetRunsAloneRatherThanNever() {
        InFlightBudget budget = new InFlightBudget(10, 1_000);
        assertThat(budget.tryAcquire(5_000)).isTrue();
        assertThat(budget.tryAcquire(1)).isFalse();
        budget.release(5_000);
        assertThat(budget.tryAcquire(1)).isTrue();
    }

    @Test
    void releasingMoreThanWasAcquiredIsABug() {
        InFlightBudget budget = new InFlightBudget(1, 100);
        assertThat(budget.tryAcquire(50)).isTrue();
        budget.release(50);
        assertThatThrownBy(() -> budget.release(1)).isInstanceOf(IllegalStateException.class);
    }
}
