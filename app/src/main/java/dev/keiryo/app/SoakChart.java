package dev.keiryo.app;

import dev.keiryo.app.charts.ChartExport;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The soak's curves, one panel each over the minutes: heap after a full collection, live threads, worst UI stall. */
public final class SoakChart {
    private SoakChart() {}

    /** Draws the PNG of a soak's CSV again: {@code SoakChart soak.csv} writes {@code soak.png}. */
    public static void main(String[] args) throws IOException {
        Path csv = Path.of(args[0]);
        List<Point> points = java.nio.file.Files.readAllLines(csv).stream()
                .skip(1)
                .map(line -> line.split(",", -1))
                .map(f -> new Point(
                        Integer.parseInt(f[0]),
                        Double.parseDouble(f[1]),
                        Integer.parseInt(f[2]),
                        Double.parseDouble(f[3])))
                .toList();
        write(points, pngBeside(csv));
    }

    static Path pngBeside(Path csv) {
        return csv.resolveSibling(csv.getFileName().toString().replaceFirst("\\.csv$", "") + ".png");
    }

    /** One minute's reading: x is the minute. */
    record Point(int minute, double heapMb, int threads, double worstStallMs) {}

    static void write(List<Point> points, Path png) throws IOException {
        NumberAxis minutes = new NumberAxis("minute");
        minutes.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(minutes);
        plot.add(panel("heap in use after GC (MB)", points, p -> p.heapMb()), 1);
        plot.add(panel("live threads", points, p -> p.threads()), 1);
        XYPlot stalls = panel("worst UI-thread stall (ms)", points, p -> p.worstStallMs());
        ValueMarker limit = new ValueMarker(200, Color.GRAY, new BasicStroke(1f));
        limit.setLabel("200 ms");
        limit.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        limit.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
        stalls.addRangeMarker(limit);
        plot.add(stalls, 1);
        JFreeChart chart = new JFreeChart("Workbench soak", JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        ChartExport.write(chart, png, 800, 720);
    }

    private static XYPlot panel(String label, List<Point> points, java.util.function.ToDoubleFunction<Point> y) {
        XYSeries s = new XYSeries(label);
        points.forEach(p -> s.add(p.minute(), y.applyAsDouble(p)));
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(true);
        XYPlot p = new XYPlot(new XYSeriesCollection(s), null, axis, new XYLineAndShapeRenderer(true, true));
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(Color.LIGHT_GRAY);
        p.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return p;
    }
}
