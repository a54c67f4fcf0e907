package dev.keiryo.app.charts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;

/** Writes a chart as PNG or SVG (by the file's extension); works with no display. */
public final class ChartExport {
    private ChartExport() {}

    public static void write(JFreeChart chart, Path file, int width, int height) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".svg")) {
            SVGGraphics2D g = new SVGGraphics2D(width, height);
            chart.draw(g, new java.awt.Rectangle(width, height));
            Files.writeString(file, g.getSVGDocument(), StandardCharsets.UTF_8);
        } else {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
        }
    }
}
