package io.inferenceworker.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite's short form ({@link Scenarios#SHORT_FORM}, {@link SuiteSettings#shortForm()}): the worker as its
 * own JVM, a few hundred jobs with the fault mix and poison records, against a broker process. Fails on any lost
 * job and on every other criterion of issue 13 ({@link Criteria}); the table is printed either way.
 */
class FaultSuiteTest {

    @Test
    void theShortFormLosesNoJobAndMeetsEveryCriterion(@TempDir Path workDir) throws Exception {
        List<Row> rows = FaultSuite.runAll(SuiteSettings.shortForm(), Scenarios.SHORT_FORM, workDir);
        System.out.println(Table.render(rows));

        assertThat(rows).hasSize(Scenarios.SHORT_FORM.size());
        assertThat(rows).allSatisfy(row -> assertThat(row.violations())
                .as("%s in %s mode (notes: %s)", row.scenario(), row.mode().setting(), row.notes())
                .isEmpty());
    }
}
