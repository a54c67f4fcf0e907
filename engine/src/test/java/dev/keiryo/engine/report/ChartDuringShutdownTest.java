package dev.keiryo.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C stops a run from a shutdown hook, and the run then writes its charts: that must work while
 * the JVM shuts down (ImageIO's disk cache, for one, cannot start then).
 */
class ChartDuringShutdownTest {
    @TempDir
    Path tmp;

    /** Writes a chart from a shutdown hook, then exits; prints what became of it. */
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                new LineChart("t", "x", "y").point("a", 1, 1).point("a", 2, 3).writePng(file, 300, 200);
                System.out.println("written");
            } catch (IOException | RuntimeException e) {
                System.out.println(e);
            }
        }));
        System.exit(0);
    }

    @Test
    void aChartIsWrittenWhileTheJvmShutsDown() throws Exception {
        Path png = tmp.resolve("chart.png");
        Process p = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Djava.awt.headless=true",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ChartDuringShutdownTest.class.getName(),
                        png.toString()))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals("written", out.lines().reduce((a, b) -> b).orElse(""), out);
        assertNotNull(ImageIO.read(png.toFile()));
    }
}
