package dev.keiryo.engine.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The learning-curve PNG of a run: training loss per minibatch and validation loss per epoch on
 * top, validation accuracy per epoch below, both against (fractional) epochs. Thread-safe to feed.
 */
public final class LearningCurves {
    private final XYSeries trainLoss = new XYSeries("training loss (per minibatch)");
    private final XYSeries valLoss = new XYSeries("validation loss");
    private final XYSeries valAcc = new XYSeries("validation accuracy");
    private final List<double[]> pending = new ArrayList<>();

    public synchronized void iteration(double fractionalEpoch, double loss) {
        pending.add(new double[] {fractionalEpoch, loss});
    }

    public synchronized void epoch(int epoch, double validationLoss, double validationAccuracy) {
        if (Double.isFinite(validationLoss)) {
            valLoss.add(epoch, validationLoss, false);
        }
        if (Double.isFinite(validationAccuracy)) {
            valAcc.add(epoch, validationAccuracy, false);
        }
    }

    /** Writes the chart atomically (temp file, then move) so a reader never sees half a PNG. */
    public synchronized void writePng(Path file, String title, int width, int height) throws IOException {
        for (double[] p : pending) {
            trainLoss.add(p[0], p[1], false);
        }
        pending.clear();
        XYSeriesCollection losses = new XYSeriesCollection();
        losses.addSeries(trainLoss);
        losses.addSeries(valLoss);
        XYLineAndShapeRenderer lossRenderer = new XYLineAndShapeRenderer(true, false);
        lossRenderer.setSeriesPaint(0, new Color(120, 160, 220));
        lossRenderer.setSeriesStroke(0, new BasicStroke(1f));
        lossRenderer.setSeriesPaint(1, new Color(200, 60, 40));
        lossRenderer.setSeriesShapesVisible(1, true);
        lossRenderer.setSeriesStroke(1, new BasicStroke(2f));
        XYPlot top = new XYPlot(losses, null, new NumberAxis("loss"), lossRenderer);
        NumberAxis accAxis = new NumberAxis("accuracy");
        accAxis.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer accRenderer = new XYLineAndShapeRenderer(true, true);
        accRenderer.setSeriesPaint(0, new Color(30, 130, 60));
        accRenderer.setSeriesStroke(0, new BasicStroke(2f));
        XYPlot bottom = new XYPlot(new XYSeriesCollection(valAcc), null, accAxis, accRenderer);
        NumberAxis epochs = new NumberAxis("epoch");
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochs);
        plot.add(top, 3);
        plot.add(bottom, 2);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        PngFiles.write(file, chart, width, height);
    }
}
