package dev.keiryo.app.charts;

import dev.keiryo.engine.api.model.WeightHistogram;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/** A weight histogram as a chart dataset (non-zero weights only: the zero spike is reported apart). */
public final class HistogramData {
    private HistogramData() {}

    public static void fill(XYIntervalSeriesCollection target, WeightHistogram h) {
        target.removeAllSeries();
        XYIntervalSeries s = new XYIntervalSeries("weights");
        double w = h.binWidth();
        for (int i = 0; i < h.counts().length; i++) {
            double lo = h.min() + i * w;
            s.add(lo + w / 2, lo, lo + w, (double) h.counts()[i], (double) h.counts()[i], (double) h.counts()[i]);
        }
        target.addSeries(s);
    }
}
