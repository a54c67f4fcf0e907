package dev.keiryo.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.app.charts.Axes;
import dev.keiryo.app.charts.ChartExport;
import dev.keiryo.app.charts.Charts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.JFreeChart;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trade-off chart's export: PNG and SVG by extension, with no display. */
class ChartExportTest {
    @TempDir
    Path dir;

    @Test
    void writesPngAndSvg() throws Exception {
        XYSeries s = new XYSeries("variants");
        s.add(1_700_000, 0.88);
        s.add(220_000, 0.87);
        JFreeChart chart = Charts.lines("Trade-off", "file size", "accuracy", new XYSeriesCollection(s), true);
        chart.getXYPlot().setDomainAxis(Axes.axis(Axes.Kind.BYTES, "file size", 0));
        Path png = dir.resolve("t.png");
        Path svg = dir.resolve("t.svg");
        ChartExport.write(chart, png, 640, 400);
        ChartExport.write(chart, svg, 640, 400);
        byte[] head = Files.readAllBytes(png);
        assertTrue(head.length > 1000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', "a PNG file");
        String text = Files.readString(svg);
        assertTrue(
                text.contains("<svg") && text.contains("Trade-off") && text.contains("0.880"),
                "an SVG with the title and ticks");
    }
}
