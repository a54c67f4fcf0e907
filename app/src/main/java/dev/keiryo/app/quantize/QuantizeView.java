package dev.keiryo.app.quantize;

import dev.keiryo.app.charts.Axes;
import dev.keiryo.app.charts.Charts;
import dev.keiryo.app.charts.Wilson;
import dev.keiryo.engine.api.compress.QuantPreviewResult;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Quantize: format and bit width with a live preview, and a chart of every setting previewed so
 * far (accuracy against file size), so the knee of the curve is visible before applying.
 */
public final class QuantizeView extends BorderPane {
    public QuantizeView(QuantizeViewModel vm) {
        ComboBox<QuantizeViewModel.Mode> mode = new ComboBox<>();
        mode.getItems().setAll(QuantizeViewModel.Mode.values());
        mode.setId("quant-mode");
        mode.valueProperty().bindBidirectional(vm.modeProperty());
        mode.setConverter(dev.keiryo.app.ui.Converters.names(m -> switch (m) {
            case AFFINE -> "affine N-bit codes";
            case BINARY -> "binary (1 bit)";
            case TERNARY -> "ternary (2 bits)";
            case CODEBOOK -> "k-means codebook";
        }));
        Slider bits = new Slider(1, 16, vm.bitsProperty().get());
        bits.setId("quant-bits");
        bits.setMajorTickUnit(1);
        bits.setMinorTickCount(0);
        bits.setSnapToTicks(true);
        bits.setShowTickLabels(true);
        // One arrow key is one bit; the default block increment (10) jumps across most of the range.
        bits.setBlockIncrement(1);
        bits.setShowTickMarks(true);
        bits.valueProperty().addListener((o, a, v) -> vm.bitsProperty().set((int) Math.round(v.doubleValue())));
        vm.bitsProperty().addListener((o, a, v) -> bits.setValue(v.intValue()));
        bits.disableProperty()
                .bind(vm.modeProperty()
                        .isEqualTo(QuantizeViewModel.Mode.BINARY)
                        .or(vm.modeProperty().isEqualTo(QuantizeViewModel.Mode.TERNARY))
                        .or(vm.readyProperty().not()));
        HBox.setHgrow(bits, Priority.ALWAYS);
        Label bitsLabel = new Label();
        bitsLabel.setId("quant-bits-label");
        bitsLabel
                .textProperty()
                .bind(javafx.beans.binding.Bindings.createStringBinding(
                        () -> bitsText(vm.bitsProperty().get()), vm.bitsProperty()));
        CheckBox perChannel = new CheckBox("per output channel");
        perChannel.setId("quant-per-channel");
        perChannel.selectedProperty().bindBidirectional(vm.perChannelProperty());
        perChannel.disableProperty().bind(vm.modeProperty().isEqualTo(QuantizeViewModel.Mode.CODEBOOK));
        CheckBox symmetric = new CheckBox("symmetric");
        symmetric.selectedProperty().bindBidirectional(vm.symmetricProperty());
        symmetric.disableProperty().bind(vm.modeProperty().isNotEqualTo(QuantizeViewModel.Mode.AFFINE));
        CheckBox huffman = new CheckBox("Huffman-code the codes");
        huffman.setId("quant-huffman");
        huffman.selectedProperty().bindBidirectional(vm.huffmanProperty());
        Button apply = new Button("Apply (Ctrl+Enter)");
        apply.setId("quant-apply");
        apply.disableProperty().bind(vm.readyProperty().not().or(vm.busyProperty()));
        apply.setOnAction(e -> vm.apply());
        Label preview = new Label();
        preview.setId("quant-preview");
        preview.getStyleClass().add("preview");
        preview.setWrapText(true);
        preview.textProperty().bind(vm.previewTextProperty());

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(8);
        form.addRow(0, new Label("Format"), mode, perChannel, symmetric, huffman);
        form.add(new Label("Bit width"), 0, 1);
        form.add(bits, 1, 1, 3, 1);
        form.add(bitsLabel, 4, 1);
        Button sweep = new Button("Sweep bit widths");
        sweep.setId("quant-sweep");
        sweep.setTooltip(
                new javafx.scene.control.Tooltip("One variant per bit width (8 down to 2, or 1 for codebooks) with"
                        + " these settings; each appears on the trade-off chart when made."));
        sweep.disableProperty().bind(vm.readyProperty().not().or(vm.busyProperty()));
        sweep.setOnAction(e -> vm.sweep());
        form.add(new HBox(8, apply, sweep), 1, 2, 3, 1);
        GridPane.setHgrow(bits, Priority.ALWAYS);
        VBox top = new VBox(
                8,
                new dev.keiryo.app.ui.CurrentVariant("quant-variant", "Quantizing", vm.baseProperty()),
                form,
                preview);
        top.setPadding(new Insets(10));

        // Each preview with its 95% interval: on a few hundred examples one example is a fifth of a point.
        YIntervalSeries seen = new YIntervalSeries("previewed settings (bars: 95% interval)", false, true);
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        data.addSeries(seen);
        JFreeChart chart = Charts.lines(
                "Previewed settings: accuracy vs packed file size",
                "file size (bytes, log)",
                "validation accuracy",
                new org.jfree.data.xy.XYSeriesCollection(),
                true);
        org.jfree.chart.renderer.xy.XYErrorRenderer renderer = new org.jfree.chart.renderer.xy.XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setDefaultLinesVisible(false);
        renderer.setDefaultShapesVisible(true);
        renderer.setSeriesPaint(0, Charts.colour(0));
        renderer.setErrorPaint(Charts.colour(0));
        renderer.setCapLength(6);
        chart.getXYPlot().setRenderer(renderer);
        chart.getXYPlot().setDataset(data);
        chart.getXYPlot().getDomainAxis().setLabel("packed file size (log scale)");
        // Room to the right of the largest file for its label.
        Axes.apply(chart, Axes.Kind.BYTES, Axes.Kind.PERCENT, 0.12);
        java.util.List<String> labels = new java.util.ArrayList<>();
        renderer.setDefaultItemLabelGenerator((ds, s, i) -> i < labels.size() ? labels.get(i) : "");
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultToolTipGenerator((ds, s, i) -> i < labels.size() ? labels.get(i) : "");
        ChartViewer viewer = new ChartViewer(chart);
        viewer.setId("quant-chart");
        vm.readyProperty().addListener((o, was, is) -> {
            if (!is) {
                // A new base variant: the settings previewed for the old one no longer apply.
                seen.clear();
                labels.clear();
            }
        });
        vm.previewProperty().addListener((o, a, r) -> {
            if (r != null) {
                add(seen, labels, r);
                chart.getXYPlot()
                        .getRangeAxis()
                        .setLabel(String.format(
                                java.util.Locale.ROOT, "validation accuracy (%,d examples)", r.examples()));
            }
        });
        VBox center = new VBox(viewer);
        VBox.setVgrow(viewer, Priority.ALWAYS);
        center.setPadding(new Insets(0, 10, 10, 10));
        setTop(top);
        setCenter(center);
    }

    /** "1 bit", "8 bits". */
    static String bitsText(int bits) {
        return bits + (bits == 1 ? " bit" : " bits");
    }

    private static void add(YIntervalSeries seen, java.util.List<String> labels, QuantPreviewResult r) {
        for (int i = 0; i < seen.getItemCount(); i++) {
            if (seen.getX(i).doubleValue() == r.fileBytes()) {
                return;
            }
        }
        var q = r.spec();
        // Points are kept in insertion order, so the labels' order is theirs.
        labels.add(
                q.mode().name().toLowerCase(java.util.Locale.ROOT) + " " + q.bits() + "b" + (q.huffman() ? "+H" : ""));
        Wilson w = Wilson.of(r.accuracy(), r.examples());
        seen.add((double) r.fileBytes(), r.accuracy(), w.low(), w.high());
    }
}
