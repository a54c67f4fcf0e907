package dev.keiryo.app.prune;

import dev.keiryo.app.charts.Axes;
import dev.keiryo.app.charts.Charts;
import dev.keiryo.app.charts.HistogramData;
import dev.keiryo.engine.api.compress.SensitivityPoint;
import dev.keiryo.engine.api.experiment.PruneMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Prune: the setting and its live preview, the weight histogram with the cut-off, sensitivity curves. */
public final class PruneView extends BorderPane {
    public PruneView(PruneViewModel vm) {
        ComboBox<PruneMode> mode = new ComboBox<>();
        mode.getItems().setAll(PruneMode.values());
        mode.setId("prune-mode");
        mode.valueProperty().bindBidirectional(vm.modeProperty());
        mode.setConverter(dev.keiryo.app.ui.Converters.names(
                m -> m == PruneMode.UNIT ? "unit (neurons, filters)" : "connection (single weights)"));
        ComboBox<PruneViewModel.Scope> scope = new ComboBox<>();
        scope.getItems().setAll(PruneViewModel.Scope.values());
        scope.setId("prune-scope");
        scope.valueProperty().bindBidirectional(vm.scopeProperty());
        scope.setConverter(dev.keiryo.app.ui.Converters.names(
                s -> s == PruneViewModel.Scope.GLOBAL ? "global (one cut-off)" : "per layer (same share)"));
        scope.disableProperty().bind(vm.modeProperty().isEqualTo(PruneMode.UNIT).or(vm.byThresholdProperty()));
        CheckBox threshold = new CheckBox("by magnitude threshold");
        threshold.setId("prune-by-threshold");
        threshold.selectedProperty().bindBidirectional(vm.byThresholdProperty());
        threshold.disableProperty().bind(vm.modeProperty().isEqualTo(PruneMode.UNIT));
        Slider slider = new Slider(0, 0.99, vm.amountProperty().get());
        slider.setId("prune-slider");
        slider.setShowTickMarks(true);
        slider.setMajorTickUnit(0.1);
        slider.valueProperty().bindBidirectional(vm.amountProperty());
        // One arrow key is one percent; the default block increment (10) is the whole range here.
        slider.setBlockIncrement(0.01);
        slider.disableProperty().bind(vm.readyProperty().not());
        HBox.setHgrow(slider, Priority.ALWAYS);
        Label target = new Label();
        target.setId("prune-target");
        target.textProperty().bind(vm.targetTextProperty());
        Label preview = new Label();
        preview.setId("prune-preview");
        preview.getStyleClass().add("preview");
        preview.setWrapText(true);
        preview.textProperty().bind(vm.previewTextProperty());
        Spinner<Integer> fineTune = new Spinner<>(0, 20, 0);
        fineTune.setId("prune-fine-tune");
        fineTune.setPrefWidth(80);
        fineTune.valueProperty()
                .addListener((o, a, n) -> vm.fineTuneEpochsProperty().set(n));
        Button apply = new Button("Apply (Ctrl+Enter)");
        apply.setId("prune-apply");
        apply.disableProperty().bind(vm.readyProperty().not().or(vm.busyProperty()));
        apply.setOnAction(e -> vm.apply());
        Button sensitivity = new Button("Sensitivity curves");
        sensitivity.setId("prune-sensitivity");
        sensitivity.disableProperty().bind(vm.readyProperty().not().or(vm.busyProperty()));
        sensitivity.setOnAction(e -> vm.computeSensitivity());

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(8);
        form.addRow(0, new Label("Mode"), mode, new Label("Scope"), scope, threshold);
        form.add(new Label("Amount"), 0, 1);
        form.add(slider, 1, 1, 4, 1);
        form.add(target, 1, 2, 4, 1);
        Button sweep = new Button("Sweep");
        sweep.setId("prune-sweep");
        sweep.setTooltip(new javafx.scene.control.Tooltip("One variant per share (connection: 50-95%, unit: 10-70%)"
                + " with these settings; each appears on the trade-off chart when made. Esc stops."));
        sweep.disableProperty().bind(vm.readyProperty().not().or(vm.busyProperty()));
        sweep.setOnAction(e -> vm.sweep());
        form.addRow(
                3, new Label("Fine-tune epochs"), fineTune, apply, new javafx.scene.layout.HBox(8, sensitivity, sweep));
        GridPane.setHgrow(slider, Priority.ALWAYS);
        VBox top = new VBox(
                8, new dev.keiryo.app.ui.CurrentVariant("prune-variant", "Pruning", vm.baseProperty()), form, preview);
        top.setPadding(new Insets(10));

        XYIntervalSeriesCollection hist = new XYIntervalSeriesCollection();
        JFreeChart histChart =
                Charts.histogram("Weights of all layers (non-zero) and the cut-off", "weight value", hist);
        ChartViewer histView = new ChartViewer(histChart);
        histView.setId("prune-histogram");
        vm.histogramProperty().addListener((o, a, h) -> {
            if (h != null) {
                HistogramData.fill(hist, h);
            }
        });
        vm.thresholdProperty().addListener((o, a, t) -> {
            double v = t.doubleValue();
            if (Double.isNaN(v)) {
                Charts.setMarkers(histChart.getXYPlot());
            } else {
                Charts.setMarkers(
                        histChart.getXYPlot(),
                        Charts.marker(-v, ""),
                        Charts.marker(v, String.format(Locale.ROOT, "|w| < %.3f", v)));
            }
        });

        XYSeriesCollection sens = new XYSeriesCollection();
        JFreeChart sensChart = Charts.lines(
                "Sensitivity: each layer pruned alone, no fine-tuning", "share removed", "accuracy", sens, true);
        Axes.apply(sensChart, Axes.Kind.PERCENT, Axes.Kind.PERCENT);
        ChartViewer sensView = new ChartViewer(sensChart);
        sensView.setId("prune-sensitivity-chart");
        vm.sensitivityProperty().addListener((o, a, curves) -> fill(sens, curves));

        HBox charts = new HBox(6, histView, sensView);
        HBox.setHgrow(histView, Priority.ALWAYS);
        HBox.setHgrow(sensView, Priority.ALWAYS);
        histView.setPrefWidth(600);
        sensView.setPrefWidth(600);
        charts.setPadding(new Insets(0, 10, 10, 10));
        setTop(top);
        setCenter(charts);
    }

    private static void fill(XYSeriesCollection target, Map<String, List<SensitivityPoint>> curves) {
        target.removeAllSeries();
        curves.forEach((layer, points) -> {
            XYSeries s = new XYSeries(layer);
            points.forEach(p -> s.add(p.level(), p.accuracy()));
            target.addSeries(s);
        });
    }
}
