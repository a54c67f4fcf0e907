package dev.keiryo.app;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MVVM, enforced: views build controls and bind; view models hold state and call the engine. */
class ArchitectureTest {
    private static JavaClasses app;

    @BeforeAll
    static void importApp() {
        app = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.keiryo.app");
    }

    @Test
    void viewModelsHoldNoControls() {
        noClasses()
                .that()
                .haveSimpleNameEndingWith("ViewModel")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("javafx.scene..", "javafx.stage..", "org.controlsfx..")
                .because("view models are testable without a window")
                .check(app);
    }

    @Test
    void viewsDoNoEngineWork() {
        noClasses()
                .that()
                .haveSimpleNameEndingWith("View")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.keiryo.engine.job..",
                        "dev.keiryo.engine.train..",
                        "dev.keiryo.engine.data..",
                        "dev.keiryo.engine.compress.prune.connection..",
                        "org.deeplearning4j..",
                        "org.nd4j..")
                .because("views only build controls and bind; engine calls go through view models and their executor")
                .check(app);
    }

    @Test
    void onlyTheBenchmarksPrint() {
        noClasses()
                .that()
                .doNotBelongToAnyOf(WorkbenchBench.class, WorkbenchSoak.class)
                .should()
                .accessField(System.class, "out")
                .orShould()
                .callMethod(Throwable.class, "printStackTrace")
                .because("the workbench reports in its status bar and log")
                .check(app);
    }

    @Test
    void engineBenchmarksStayInTheCli() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.keiryo.engine.bench..")
                .because("the engine's benchmarks are a command of its CLI; the workbench has its own")
                .check(app);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.keiryo.app.(**)").should().beFreeOfCycles().check(app);
    }

    /** The slices above leave out the root package, so its place on top is a rule of its own. */
    @Test
    void theRootPackageComposesTheOthers() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.keiryo.app")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.keiryo.app")
                .because("the root package builds the workbench from its parts, so no part may need it back")
                .check(app);
    }

    /** The workbench reaches the engine only through its API package, and never sees DL4J or ND4J. */
    @Test
    void theWorkbenchUsesOnlyTheEngineApi() {
        noClasses()
                .should()
                .dependOnClassesThat(
                        resideInAPackage("dev.keiryo.engine..").and(not(resideInAPackage("dev.keiryo.engine.api.."))))
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage("org.deeplearning4j..", "org.nd4j..")
                .because("the engine's API is the workbench's only door to it")
                .check(app);
    }
}
