package dev.keiryo.app.variants;

import dev.keiryo.app.charts.ChartExport;
import dev.keiryo.app.workspace.Bytes;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.engine.Session;
import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.model.ExportRequest;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.api.run.VariantMetrics;
import dev.keiryo.engine.api.run.VariantTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.jfree.chart.JFreeChart;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Variants and trade-offs: the run's variants with their lineage, and accuracy against the chosen
 * axis with the Pareto frontier. The chart's points are rebuilt whenever a variant is added, so a
 * variant applied in Prune or Quantize appears at once.
 */
public final class VariantsViewModel {
    private final Workspace ws;
    private final ObjectProperty<Axis> axis = new SimpleObjectProperty<>(Axis.FILE_SIZE);
    private final XYSeries points = new XYSeries("variants", false, true);
    private final XYSeries frontier = new XYSeries("Pareto frontier", false, true);
    private final XYSeriesCollection data = new XYSeriesCollection();
    private final XYSeriesCollection frontierData = new XYSeriesCollection();
    private final List<Variant> plotted = new ArrayList<>();
    private final StringProperty note = new SimpleStringProperty("");
    private static final String NOTHING_COMPARED = "Select two variants to compare them.";
    private final StringProperty comparison = new SimpleStringProperty(NOTHING_COMPARED);

    public VariantsViewModel(Workspace ws) {
        this.ws = ws;
        data.addSeries(points);
        frontierData.addSeries(frontier);
        ws.variants().addListener((ListChangeListener<Variant>) c -> refresh());
        axis.addListener((o, a, b) -> refresh());
        // The comparison names the last session's variants, whose ids another session reuses.
        ws.sessionProperty().addListener((o, a, b) -> comparison.set(NOTHING_COMPARED));
    }

    public void refresh() {
        // Each change to a series redraws the whole chart: one redraw per refresh, not one per point.
        points.setNotify(false);
        frontier.setNotify(false);
        try {
            plot();
        } finally {
            points.setNotify(true);
            frontier.setNotify(true);
        }
    }

    private void plot() {
        Axis ax = axis.get();
        points.clear();
        frontier.clear();
        plotted.clear();
        for (Variant v : ws.variants()) {
            double x = ax.of(v.metrics());
            if (Double.isFinite(x) && (!ax.log || x > 0)) {
                plotted.add(v);
                points.add(x, v.metrics().accuracy());
            }
        }
        double[] xs = plotted.stream().mapToDouble(v -> ax.of(v.metrics())).toArray();
        double[] ys = plotted.stream().mapToDouble(v -> v.metrics().accuracy()).toArray();
        for (int i : Pareto.frontier(xs, ys, ax.lowerBetter)) {
            frontier.add(xs[i], ys[i]);
        }
        int missing = ws.variants().size() - plotted.size();
        note.set(
                missing == 0
                        ? ""
                        : missing + " variant(s) have no " + ax.label
                                + (ax == Axis.LATENCY
                                        ? ": latency is measured only with 'Measure latency' on (Train settings)."
                                        : "."));
    }

    /** The id shown next to point {@code item}. */
    String label(int item) {
        return item < plotted.size() ? plotted.get(item).id() : "";
    }

    /** The tooltip of point {@code item} of the variants (0) or the frontier (1). */
    String tooltip(int dataset, int item) {
        Variant v;
        if (dataset == 0) {
            v = plotted.get(item);
        } else {
            double x = frontier.getX(item).doubleValue();
            v = plotted.stream()
                    .filter(p -> axis.get().of(p.metrics()) == x)
                    .findFirst()
                    .orElse(null);
        }
        return v == null ? "" : describe(v);
    }

    static String describe(Variant v) {
        VariantMetrics m = v.metrics();
        return String.format(
                Locale.ROOT,
                "%s (%s%s): accuracy %.4f, %s, %.1f%% sparse, %.0f bits%s",
                v.id(),
                v.step(),
                v.parent() == null ? "" : " of " + v.parent(),
                m.accuracy(),
                Bytes.human(m.fileBytes()),
                100 * m.sparsity(),
                m.bits(),
                Double.isFinite(m.latencyBatch1Ms())
                        ? String.format(Locale.ROOT, ", %.2f ms", m.latencyBatch1Ms())
                        : "");
    }

    /** Side by side, with the second's change against the first. */
    public void compare(List<Variant> selected) {
        if (selected.size() != 2) {
            comparison.set(NOTHING_COMPARED);
            return;
        }
        VariantMetrics a = selected.get(0).metrics();
        VariantMetrics b = selected.get(1).metrics();
        comparison.set(String.format(
                Locale.ROOT,
                "%s vs %s: accuracy %.4f vs %.4f (%+.4f) | file %s vs %s (%.2fx) |"
                        + " non-zeros %,d vs %,d | bits %.0f vs %.0f",
                selected.get(0).id(),
                selected.get(1).id(),
                a.accuracy(),
                b.accuracy(),
                b.accuracy() - a.accuracy(),
                Bytes.human(a.fileBytes()),
                Bytes.human(b.fileBytes()),
                (double) a.fileBytes() / b.fileBytes(),
                a.nonZeros(),
                b.nonZeros(),
                a.bits(),
                b.bits()));
    }

    public void exportChart(JFreeChart chart, Path file) {
        ws.tasks()
                .run(
                        "export chart",
                        () -> {
                            ChartExport.write(chart, file, 1000, 650);
                            return file;
                        },
                        f -> ws.status().info("Chart saved to " + f),
                        ws.status()::error);
    }

    /**
     * Writes {@code v} as an ONNX file for ONNX Runtime: float32, or int8 calibrated on training
     * examples of the session's data.
     */
    public void exportOnnx(Variant v, Path file, boolean int8) {
        Session s = ws.session().orElse(null);
        if (s == null) {
            ws.status().error("Train or open a run first: there is no variant to export.");
            return;
        }
        DataSpec d = s.experiment().data();
        ExportRequest request = new ExportRequest(
                s.runDir().resolve(v.modelFile()),
                file,
                int8,
                ExportRequest.DEFAULT_CALIBRATION,
                d.source().id(),
                d.path() == null ? null : Path.of(d.path()));
        ws.tasks()
                .run(
                        "export ONNX",
                        () -> Engine.local().export(request),
                        r -> ws.status()
                                .info(String.format(
                                        Locale.ROOT,
                                        "%s exported as %s ONNX to %s (%s)",
                                        v.id(),
                                        r.format(),
                                        r.out(),
                                        Bytes.human(r.bytes()))),
                        ws.status()::error);
    }

    public void exportTable(Path file) {
        List<Variant> all = List.copyOf(ws.variants());
        ws.tasks()
                .run(
                        "export table",
                        () -> Files.writeString(file, VariantTable.csv(all), StandardCharsets.UTF_8),
                        f -> ws.status().info("Table saved to " + f),
                        ws.status()::error);
    }

    public ObservableList<Variant> variants() {
        return ws.variants();
    }

    public ObjectProperty<Axis> axisProperty() {
        return axis;
    }

    public XYSeriesCollection data() {
        return data;
    }

    public XYSeriesCollection frontierData() {
        return frontierData;
    }

    /** Points on the chart now (the variants series). */
    public int plottedCount() {
        return points.getItemCount();
    }

    public StringProperty noteProperty() {
        return note;
    }

    public StringProperty comparisonProperty() {
        return comparison;
    }

    /** Makes {@code v} the variant prune and quantize start from (only variants of the live session). */
    public void useAsBase(Variant v) {
        if (v != null && ws.session().isPresent() && ws.openedRunProperty().get() == null) {
            ws.baseProperty().set(v);
        }
    }
}
