package dev.keiryo.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Files small and named for what they hold: a workbench source over the limit is split by concern. */
class SourceSizeTest {
    static final int MAX_LINES = 400;

    /** Maven runs the tests in the module's directory. */
    private static final Path SOURCES = Path.of("src", "main", "java");

    @Test
    void noWorkbenchSourceIsOver400Lines() throws IOException {
        assertTrue(
                Files.isDirectory(SOURCES.resolve("dev/keiryo/app")),
                "run from the app module's directory: no " + SOURCES.toAbsolutePath());
        List<String> tooLong;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            tooLong = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> lines(f) > MAX_LINES)
                    .sorted()
                    .map(f -> SOURCES.relativize(f) + " (" + lines(f) + " lines)")
                    .toList();
        }
        assertEquals(
                List.of(),
                tooLong,
                "app/src/main Java files over " + MAX_LINES + " lines; split them by concern, as the view"
                        + " models are (a *ViewModel composing small parts)");
    }

    private static long lines(Path file) {
        try (Stream<String> l = Files.lines(file)) {
            return l.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
