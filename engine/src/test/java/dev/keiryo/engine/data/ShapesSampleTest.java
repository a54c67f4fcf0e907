package dev.keiryo.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ShapesSampleTest {
    @Test
    void committedFilesAreWhatTheGeneratorDraws() throws IOException {
        AtomicInteger count = new AtomicInteger();
        ShapesSample.forEach((file, expected) -> {
            try {
                BufferedImage actual =
                        ImageIO.read(ShapesSample.DIR.resolve(file).toFile());
                int n = ShapesSample.SIDE;
                assertArrayEquals(expected.getRGB(0, 0, n, n, null, 0, n), actual.getRGB(0, 0, n, n, null, 0, n), file);
                count.incrementAndGet();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try (Stream<Path> files = Files.walk(ShapesSample.DIR)) {
            assertEquals(
                    count.get(),
                    files.filter(p -> p.toString().endsWith(".png")).count(),
                    "no stray images");
        }
    }

    @Test
    void readsAsAColourImageFolder() {
        DataBundle b = ImageFolder.read(ShapesSample.DIR, new ImageFolder.Options(null, false, 0.2, 42));
        assertEquals(ShapesSample.CLASSES, b.train().classNames());
        assertEquals(3, b.train().channels());
        assertEquals(32, b.train().height());
        assertEquals(
                ShapesSample.CLASSES.size() * ShapesSample.TRAIN_PER_CLASS,
                b.train().size());
        assertEquals(
                ShapesSample.CLASSES.size() * ShapesSample.TEST_PER_CLASS,
                b.test().size());
    }
}
