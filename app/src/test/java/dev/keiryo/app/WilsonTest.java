package dev.keiryo.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.app.charts.Axes;
import dev.keiryo.app.charts.Charts;
import dev.keiryo.app.charts.Wilson;
import java.awt.image.BufferedImage;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.Test;

/** A preview's accuracy comes with its 95% interval, and the chart's range spans it. */
class WilsonTest {
    @Test
    void matchesTheTextbookIntervals() {
        Wilson half = Wilson.of(0.5, 100);
        assertEquals(0.4038, half.low(), 1e-4);
        assertEquals(0.5962, half.high(), 1e-4);
        Wilson all = Wilson.of(1.0, 10);
        assertEquals(0.7225, all.low(), 1e-4);
        assertEquals(1.0, all.high(), 1e-12);
        assertEquals(new Wilson(0, 1), Wilson.of(0.7, 0));
        assertEquals("accuracy 71.40% (95% interval 67.3-75.2%, 500 validation examples)", Wilson.describe(0.714, 500));
    }

    @Test
    void oneExampleIsNoCliff() {
        // Two settings one example apart on 500: the axis spans their intervals, not 0.2 points.
        YIntervalSeries s = new YIntervalSeries("s", false, true);
        for (double[] p : new double[][] {{400_000, 0.714}, {220_000, 0.712}}) {
            Wilson w = Wilson.of(p[1], 500);
            s.add(p[0], p[1], w.low(), w.high());
        }
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        data.addSeries(s);
        JFreeChart c = Charts.lines("t", "x", "y", new XYSeriesCollection(), true);
        c.getXYPlot().setRenderer(new XYErrorRenderer());
        c.getXYPlot().setDataset(data);
        Axes.apply(c, Axes.Kind.BYTES, Axes.Kind.PERCENT);
        c.createBufferedImage(480, 300, BufferedImage.TYPE_INT_RGB, null);
        var y = c.getXYPlot().getRangeAxis().getRange();
        assertTrue(y.getLowerBound() <= Wilson.of(0.712, 500).low(), y.toString());
        assertTrue(y.getUpperBound() >= Wilson.of(0.714, 500).high(), y.toString());
        assertTrue(y.getLength() > 0.07, "a span of the intervals' width: " + y);
    }
}
