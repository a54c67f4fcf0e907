package dev.keiryo.engine.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine is headless and quiet (no JavaFX anywhere, only the CLI writes to the console), and its
 * packages form layers: no cycles, nothing below the CLI reaches up into it, and only the engine's
 * API implementation runs the benchmarks.
 */
class ArchitectureTest {
    private static JavaClasses engine;

    @BeforeAll
    static void importEngine() {
        engine = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.keiryo.engine");
    }

    @Test
    void engineNeverUsesJavaFx() {
        noClasses().should().dependOnClassesThat().resideInAPackage("javafx..").check(engine);
    }

    @Test
    void onlyTheCliPrints() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.keiryo.engine.cli..")
                .should()
                .accessField(System.class, "out")
                .orShould()
                .accessField(System.class, "err")
                .orShould()
                .callMethod(Throwable.class, "printStackTrace")
                .because("the engine reports through events and return values; the CLI decides what to print")
                .check(engine);
    }

    @Test
    void engineDoesNotDependOnTheCli() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.keiryo.engine.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.keiryo.engine.cli..")
                .check(engine);
    }

    @Test
    void onlyTheEngineApiRunsTheBenchmarks() {
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.keiryo.engine.bench..", "dev.keiryo.engine.runtime..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.keiryo.engine.bench..")
                .because("the benchmarks are a command of the CLI, which runs them through the engine's API;"
                        + " no other part of the engine needs them")
                .check(engine);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.keiryo.engine.(**)").should().beFreeOfCycles().check(engine);
    }

    /** The CLI reaches the rest of the engine only through the API package, as the workbench does. */
    @Test
    void theCliUsesOnlyTheEngineApi() {
        noClasses()
                .that()
                .resideInAPackage("dev.keiryo.engine.cli..")
                .should()
                .dependOnClassesThat(resideInAPackage("dev.keiryo.engine..")
                        .and(not(resideInAnyPackage("dev.keiryo.engine.api..", "dev.keiryo.engine.cli.."))))
                .because("the CLI parses flags and prints; the work is the engine's, behind its API")
                .check(engine);
    }

    /** The API carries no DL4J or ND4J type and needs nothing deeper in the engine but file writing. */
    @Test
    void theApiStandsOnItsOwn() {
        noClasses()
                .that()
                .resideInAPackage("dev.keiryo.engine.api..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.deeplearning4j..", "org.nd4j..", "javafx..")
                .orShould()
                .dependOnClassesThat(resideInAPackage("dev.keiryo.engine..")
                        .and(not(resideInAnyPackage("dev.keiryo.engine.api..", "dev.keiryo.engine.io.."))))
                .because("internals depend on the API, never the other way, so models and formats can change"
                        + " behind it")
                .check(engine);
    }
}
