package dev.keiryo.app;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogTick;
import org.jfree.chart.axis.Tick;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.ui.RectangleEdge;

/** The tick labels of a chart's axis as JFreeChart draws them at a given size. */
final class TickLabels {
    private TickLabels() {}

    static List<String> drawn(JFreeChart c, ValueAxis axis, RectangleEdge edge, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            ChartRenderingInfo info = new ChartRenderingInfo();
            c.draw(g, new Rectangle2D.Double(0, 0, width, height), info);
            Rectangle2D area = info.getPlotInfo().getDataArea();
            List<?> ticks = axis.refreshTicks(g, new AxisState(), area, edge);
            return ticks.stream()
                    .map(t -> text((Tick) t))
                    .filter(t -> t != null && !t.isEmpty())
                    .toList();
        } finally {
            g.dispose();
        }
    }

    /** A log axis's tick carries its label as an attributed string. */
    private static String text(Tick t) {
        if (t instanceof LogTick l && l.getAttributedLabel() != null) {
            java.text.AttributedCharacterIterator it = l.getAttributedLabel().getIterator();
            StringBuilder sb = new StringBuilder();
            for (char ch = it.first(); ch != java.text.CharacterIterator.DONE; ch = it.next()) {
                sb.append(ch);
            }
            return sb.toString();
        }
        return t.getText();
    }
}
