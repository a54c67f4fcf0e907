package dev.keiryo.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.app.charts.Axes;
import dev.keiryo.app.charts.Charts;
import java.util.HashSet;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of axis, drawn at the size of a workbench chart with no point, one point and many:
 * the tick labels are distinct and formatted, and every point is inside the range, off its edges.
 */
class ChartAxesTest {
    private static final double[][] SIZES_AND_ACCURACIES = {
        {436_800, 0.718}, {436_800, 0.718}, {120_000, 0.70}, {1_700_000, 0.74}, {55_000, 0.52}
    };

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 5})
    void fileSizeAgainstAccuracy(int points) {
        JFreeChart c = chart(points, i -> SIZES_AND_ACCURACIES[i][0], i -> SIZES_AND_ACCURACIES[i][1]);
        Axes.apply(c, Axes.Kind.BYTES, Axes.Kind.PERCENT, 0.12);
        List<String> x = labels(c, c.getXYPlot().getDomainAxis(), RectangleEdge.BOTTOM);
        List<String> y = labels(c, c.getXYPlot().getRangeAxis(), RectangleEdge.LEFT);
        check(x, "[0-9.,]+ (B|KB|MB)", 2);
        check(y, "[0-9]+(\\.[0-9]+)?%", 2);
        inside(c, points);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 12})
    void epochsAgainstAccuracyAndLoss(int points) {
        JFreeChart acc = chart(points, i -> i + 1, i -> 0.718);
        Axes.apply(acc, Axes.Kind.INTEGER, Axes.Kind.PERCENT);
        check(labels(acc, acc.getXYPlot().getDomainAxis(), RectangleEdge.BOTTOM), "[0-9]+", 1);
        check(labels(acc, acc.getXYPlot().getRangeAxis(), RectangleEdge.LEFT), "[0-9]+(\\.[0-9]+)?%", 2);
        inside(acc, points);
        JFreeChart loss = chart(points, i -> i + 0.5, i -> 2.3 / (i + 1));
        Axes.apply(loss, Axes.Kind.PLAIN, Axes.Kind.PLAIN);
        check(labels(loss, loss.getXYPlot().getRangeAxis(), RectangleEdge.LEFT), "[0-9]+(\\.[0-9]+)?", 2);
        check(labels(loss, loss.getXYPlot().getDomainAxis(), RectangleEdge.BOTTOM), "[0-9]+(\\.[0-9]+)?", 2);
        inside(loss, points);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void sharesStayBetweenNoneAndAll(int points) {
        JFreeChart c = chart(points, i -> 1.0 - 0.1 * i, i -> 1.0);
        Axes.apply(c, Axes.Kind.PERCENT, Axes.Kind.PERCENT);
        check(labels(c, c.getXYPlot().getRangeAxis(), RectangleEdge.LEFT), "[0-9]+(\\.[0-9]+)?%", 2);
        labels(c, c.getXYPlot().getRangeAxis(), RectangleEdge.LEFT)
                .forEach(l -> assertTrue(Double.parseDouble(l.replace("%", "")) <= 100, "no tick above 100%: " + l));
        inside(c, points);
    }

    private static JFreeChart chart(
            int points, java.util.function.IntToDoubleFunction x, java.util.function.IntToDoubleFunction y) {
        XYSeries s = new XYSeries("s", false, true);
        for (int i = 0; i < points; i++) {
            s.add(x.applyAsDouble(i), y.applyAsDouble(i));
        }
        return Charts.lines("t", "x", "y", new XYSeriesCollection(s), true);
    }

    private static void check(List<String> labels, String format, int atLeast) {
        assertTrue(labels.size() >= atLeast, "at least " + atLeast + " labelled ticks: " + labels);
        assertEquals(labels.size(), new HashSet<>(labels).size(), "distinct tick labels: " + labels);
        labels.forEach(l -> assertTrue(l.matches(format), "'" + l + "' reads as " + format + ": " + labels));
    }

    private static void inside(JFreeChart c, int points) {
        XYPlot p = c.getXYPlot();
        for (int i = 0; i < points; i++) {
            double x = p.getDataset().getXValue(0, i);
            double y = p.getDataset().getYValue(0, i);
            assertTrue(
                    within(p.getDomainAxis(), x),
                    "x " + x + " inside " + p.getDomainAxis().getRange());
            assertTrue(
                    within(p.getRangeAxis(), y),
                    "y " + y + " inside " + p.getRangeAxis().getRange());
        }
    }

    private static boolean within(ValueAxis a, double v) {
        return a.getLowerBound() < v && v < a.getUpperBound();
    }

    /** The tick labels as drawn on a chart of 480 x 300 pixels (a workbench chart at 1024 x 680). */
    private static List<String> labels(JFreeChart c, ValueAxis axis, RectangleEdge edge) {
        return TickLabels.drawn(c, axis, edge, 480, 300);
    }
}
