package dev.keiryo.engine.api.experiment;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The example files shipped in assets/experiments must always be valid. */
class ExampleExperimentsTest {

    /** Maven runs tests in the module folder, so the assets are one level up. */
    private static final Path EXAMPLES = Path.of("..", "assets", "experiments");

    @TestFactory
    Stream<DynamicTest> everyExampleIsValid() throws IOException {
        assertTrue(Files.isDirectory(EXAMPLES), "missing " + EXAMPLES.toAbsolutePath());
        List<Path> files;
        try (Stream<Path> list = Files.list(EXAMPLES)) {
            files = list.filter(Files::isRegularFile).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no examples in " + EXAMPLES.toAbsolutePath());
        return files.stream()
                .map(f -> DynamicTest.dynamicTest(
                        f.getFileName().toString(), () -> assertDoesNotThrow(() -> ExperimentFile.read(f))));
    }
}
