package dev.keiryo.engine.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Rewrites assets/data/shapes-sample from {@link ShapesSample}; skipped unless asked for:
 * {@code ./mvnw -pl engine test -Dtest=ShapesSampleMaker -Dkeiryo.makeShapes=true}.
 */
@EnabledIfSystemProperty(named = "keiryo.makeShapes", matches = "true")
class ShapesSampleMaker {
    private static final long MAX_TOTAL_BYTES = 100L * 1024;

    @Test
    void makeShapes() throws IOException {
        ShapesSample.forEach((file, img) -> TestImages.write(ShapesSample.DIR.resolve(file), img, "png"));
        long total;
        try (Stream<Path> files = Files.walk(ShapesSample.DIR)) {
            total = files.filter(p -> p.toString().endsWith(".png"))
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
        assertTrue(total <= MAX_TOTAL_BYTES, "the shapes sample is " + total + " bytes, over 100 KB");
    }
}
