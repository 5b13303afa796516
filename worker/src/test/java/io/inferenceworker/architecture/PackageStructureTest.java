package io.inferenceworker.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules the code is held to, checked on the compiled worker: no package cycles, the provider SPI depends on
 * nothing above or beside it, and only Resilience4j's public API is used.
 */
class PackageStructureTest {
    private static JavaClasses worker;

    @BeforeAll
    static void importWorker() {
        worker = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.inferenceworker");
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.inferenceworker.(**)").should().beFreeOfCycles().check(worker);
    }

    @Test
    void theProviderSpiDependsOnNoOtherWorkerPackage() {
        noClasses().that().resideInAPackage("io.inferenceworker.provider")
                .should().dependOnClassesThat().resideInAnyPackage("io.inferenceworker.provider.*..",
                        "io.inferenceworker.job..", "io.inferenceworker.intake..", "io.inferenceworker.publish..",
                        "io.inferenceworker.feedback..", "io.inferenceworker.ops..", "io.inferenceworker.config..")
                .check(worker);
    }

    @Test
    void onlyPublicResilience4jApi() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.github.resilience4j..internal..")
                .check(worker);
    }
}
