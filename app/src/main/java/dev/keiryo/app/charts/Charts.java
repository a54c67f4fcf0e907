package dev.keiryo.app.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeriesCollection;

/** The workbench's chart styles in one place, so every chart looks and exports alike. */
public final class Charts {
    private static final Color[] PALETTE = {
        new Color(0x1f77b4),
        new Color(0xd62728),
        new Color(0x2ca02c),
        new Color(0xff7f0e),
        new Color(0x9467bd),
        new Color(0x8c564b),
        new Color(0xe377c2),
        new Color(0x7f7f7f)
    };

    /** The {@code i}-th colour of the palette (matplotlib's tab10 order). */
    public static Color colour(int i) {
        return PALETTE[i];
    }

    static {
        // JFreeChart draws rotated text (the value axis's label, slanted category labels) as glyph
        // outlines by default, a workaround for a Java 1.4 bug; on the workbench's canvases that
        // made each redraw of a chart 1.7 times slower, on the UI thread.
        org.jfree.chart.text.TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    private Charts() {}

    public static JFreeChart lines(String title, String x, String y, XYSeriesCollection data, boolean shapes) {
        JFreeChart c = ChartFactory.createXYLineChart(title, x, y, data, PlotOrientation.VERTICAL, true, true, false);
        XYPlot p = c.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, shapes);
        for (int i = 0; i < PALETTE.length; i++) {
            r.setSeriesPaint(i, PALETTE[i]);
            r.setSeriesStroke(i, new BasicStroke(1.6f));
        }
        p.setRenderer(r);
        ((NumberAxis) p.getRangeAxis()).setAutoRangeIncludesZero(false);
        return style(c);
    }

    public static JFreeChart bars(String title, String x, String y, DefaultCategoryDataset data) {
        JFreeChart c = ChartFactory.createBarChart(title, x, y, data, PlotOrientation.VERTICAL, false, true, false);
        CategoryPlot p = c.getCategoryPlot();
        BarRenderer r = (BarRenderer) p.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setSeriesPaint(0, PALETTE[0]);
        p.getDomainAxis().setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        p.getDomainAxis().setCategoryLabelPositions(org.jfree.chart.axis.CategoryLabelPositions.UP_45);
        return style(c);
    }

    /** A histogram from an XY bar dataset, with room for threshold markers. */
    public static JFreeChart histogram(String title, String x, org.jfree.data.xy.IntervalXYDataset data) {
        JFreeChart c = ChartFactory.createXYBarChart(
                title, x, false, "weights", data, PlotOrientation.VERTICAL, false, true, false);
        XYPlot p = c.getXYPlot();
        XYBarRenderer r = (XYBarRenderer) p.getRenderer();
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        r.setSeriesPaint(0, PALETTE[0]);
        r.setDrawBarOutline(false);
        return style(c);
    }

    /** A vertical line on an XY chart, e.g. the pruning threshold at -t and +t, labelled to its right. */
    public static ValueMarker marker(double x, String label) {
        return marker(x, label, false);
    }

    /**
     * A vertical line labelled to its left when {@code labelLeft}: for a line at the newest point,
     * where a label to the right would run off the chart.
     */
    public static ValueMarker marker(double x, String label, boolean labelLeft) {
        ValueMarker m = new ValueMarker(x, PALETTE[1], new BasicStroke(2f));
        m.setLabel(label);
        m.setLabelPaint(PALETTE[1]);
        m.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        m.setLabelAnchor(
                labelLeft ? org.jfree.chart.ui.RectangleAnchor.TOP_LEFT : org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
        m.setLabelTextAnchor(
                labelLeft ? org.jfree.chart.ui.TextAnchor.TOP_RIGHT : org.jfree.chart.ui.TextAnchor.TOP_LEFT);
        m.setLabelOffset(new org.jfree.chart.ui.RectangleInsets(18, 4, 4, 4));
        return m;
    }

    public static void setMarkers(XYPlot p, ValueMarker... markers) {
        p.clearDomainMarkers();
        for (ValueMarker m : markers) {
            p.addDomainMarker(m, Layer.FOREGROUND);
        }
    }

    private static JFreeChart style(JFreeChart c) {
        c.setBackgroundPaint(Color.WHITE);
        // Room on the right for half of the last tick label, which is centred on its tick.
        c.setPadding(new org.jfree.chart.ui.RectangleInsets(4, 4, 4, 16));
        c.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        c.getPlot().setBackgroundPaint(new Color(0xfafafa));
        if (c.getPlot() instanceof XYPlot p) {
            p.setDomainGridlinePaint(new Color(0xdddddd));
            p.setRangeGridlinePaint(new Color(0xdddddd));
        } else if (c.getPlot() instanceof CategoryPlot p) {
            p.setRangeGridlinePaint(new Color(0xdddddd));
        }
        return c;
    }
}
