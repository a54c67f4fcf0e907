package dev.keiryo.engine.report;

import dev.keiryo.engine.io.AtomicWrite;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.jfree.chart.JFreeChart;

/**
 * Charts written as PNG files, whole or not at all. ImageIO's default disk cache registers a JVM
 * shutdown hook the first time it is used, which fails ("Shutdown in progress") when the chart is
 * written while Ctrl-C is stopping a run; a chart is small, so it is encoded in memory instead.
 */
final class PngFiles {
    private PngFiles() {}

    static void write(Path file, JFreeChart chart, int width, int height) throws IOException {
        BufferedImage image = chart.createBufferedImage(width, height);
        AtomicWrite.writeStream(file, true, out -> {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
            try (ImageOutputStream img = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(img);
                writer.write(image);
            } finally {
                writer.dispose();
            }
        });
    }
}
