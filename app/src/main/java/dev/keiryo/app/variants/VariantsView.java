package dev.keiryo.app.variants;

import dev.keiryo.app.charts.Axes;
import dev.keiryo.app.charts.Charts;
import dev.keiryo.app.workspace.Bytes;
import dev.keiryo.engine.api.run.Variant;
import java.io.File;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;

/** Variants and trade-offs: the lineage tree (each variant under its parent), trade-off chart with the Pareto frontier, comparison, export. */
public final class VariantsView extends BorderPane {
    private final JFreeChart chart;
    private boolean filling;
    private Variant exportable;
    private Function<String, File> saveDialog = this::chooseOnnxFile;

    public VariantsView(VariantsViewModel vm) {
        ComboBox<Axis> axis = new ComboBox<>();
        axis.getItems().setAll(Axis.values());
        axis.setId("variants-axis");
        axis.valueProperty().bindBidirectional(vm.axisProperty());
        Button png = new Button("Export chart...");
        png.setId("variants-export-chart");
        png.setOnAction(e -> exportChart(vm));
        Button csv = new Button("Export table (CSV)...");
        csv.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setInitialFileName("variants.csv");
            File f = fc.showSaveDialog(getScene().getWindow());
            if (f != null) {
                vm.exportTable(f.toPath());
            }
        });
        MenuItem onnx = new MenuItem("float32");
        onnx.setId("variants-export-onnx-float");
        onnx.setOnAction(e -> exportOnnx(vm, false));
        MenuItem onnxInt8 = new MenuItem("int8 (calibrated on training examples)");
        onnxInt8.setId("variants-export-onnx-int8");
        onnxInt8.setOnAction(e -> exportOnnx(vm, true));
        MenuButton export = new MenuButton("Export ONNX", null, onnx, onnxInt8);
        export.setId("variants-export-onnx");
        export.setDisable(true);
        Label note = new Label();
        note.textProperty().bind(vm.noteProperty());
        HBox bar = new HBox(8, new Label("Accuracy vs"), axis, png, csv, export, note);
        bar.setPadding(new Insets(10));

        chart = Charts.lines(
                "Trade-off: test accuracy vs " + vm.axisProperty().get().label,
                vm.axisProperty().get().label,
                "test accuracy",
                vm.data(),
                true);
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
        r.setSeriesLinesVisible(0, false);
        r.setSeriesShape(0, new java.awt.geom.Ellipse2D.Double(-5, -5, 10, 10));
        r.setDefaultToolTipGenerator((ds, series, item) -> vm.tooltip(0, item));
        r.setDefaultItemLabelGenerator((ds, series, item) -> vm.label(item));
        r.setDefaultItemLabelsVisible(true);
        // Beside the point rather than above it: variants of one size (the students of a comparison) stack vertically.
        r.setDefaultPositiveItemLabelPosition(new org.jfree.chart.labels.ItemLabelPosition(
                org.jfree.chart.labels.ItemLabelAnchor.OUTSIDE3, org.jfree.chart.ui.TextAnchor.CENTER_LEFT));
        r.setDefaultItemLabelFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 12));
        // The frontier as a staircase: between two frontier points, the better accuracy is not yet available.
        org.jfree.chart.renderer.xy.XYStepRenderer step = new org.jfree.chart.renderer.xy.XYStepRenderer();
        step.setSeriesPaint(0, Charts.colour(1));
        step.setSeriesStroke(
                0,
                new java.awt.BasicStroke(
                        2f,
                        java.awt.BasicStroke.CAP_ROUND,
                        java.awt.BasicStroke.JOIN_ROUND,
                        1f,
                        new float[] {6f, 4f},
                        0f));
        step.setDefaultToolTipGenerator((ds, series, item) -> vm.tooltip(1, item));
        chart.getXYPlot().setDataset(1, vm.frontierData());
        chart.getXYPlot().setRenderer(1, step);
        setAxis(vm.axisProperty().get());
        vm.axisProperty().addListener((o, a, b) -> setAxis(b));
        ChartViewer viewer = new ChartViewer(chart);
        viewer.setId("variants-chart");

        TreeTableView<Variant> table = new TreeTableView<>(new TreeItem<>());
        table.setId("variants-table");
        table.setShowRoot(false);
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.getColumns().add(col("Variant", Variant::id));
        table.getColumns().add(col("Parent", v -> v.parent() == null ? "" : v.parent()));
        table.getColumns().add(col("Step", Variant::step));
        table.getColumns().add(col("Settings", v -> v.params().toString()));
        table.getColumns()
                .add(col(
                        "Accuracy",
                        v -> String.format(Locale.ROOT, "%.4f", v.metrics().accuracy())));
        table.getColumns()
                .add(col(
                        "Sparsity",
                        v -> String.format(
                                Locale.ROOT, "%.1f%%", 100 * v.metrics().sparsity())));
        table.getColumns()
                .add(col(
                        "Bits",
                        v -> String.format(Locale.ROOT, "%.0f", v.metrics().bits())));
        table.getColumns().add(col("File", v -> Bytes.human(v.metrics().fileBytes())));
        table.getColumns()
                .add(col(
                        "vs float32",
                        v -> String.format(Locale.ROOT, "%.1fx", v.metrics().compressionVsFloat32())));
        table.getColumns()
                .add(col(
                        "Latency (ms)",
                        v -> Double.isFinite(v.metrics().latencyBatch1Ms())
                                ? String.format(Locale.ROOT, "%.3f", v.metrics().latencyBatch1Ms())
                                : "-"));
        table.getColumns().get(0).setPrefWidth(110);
        table.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        fill(table, vm.variants());
        vm.variants().addListener((ListChangeListener<Variant>) c -> fill(table, vm.variants()));
        table.getSelectionModel().getSelectedItems().addListener((ListChangeListener<TreeItem<Variant>>) c -> {
            if (filling) {
                return;
            }
            List<Variant> selected = selected(table);
            export.setDisable(selected.size() != 1);
            exportable = selected.size() == 1 ? selected.get(0) : null;
            vm.compare(selected);
            if (selected.size() == 1) {
                vm.useAsBase(selected.get(0));
            }
        });
        Label compare = new Label();
        compare.setId("variants-compare");
        compare.setWrapText(true);
        compare.textProperty().bind(vm.comparisonProperty());
        Label hint =
                new Label("Each variant sits under the one it was made from. Select one to prune or quantize it next;"
                        + " select two to compare them.");
        hint.getStyleClass().add("hint");
        VBox bottom = new VBox(6, table, compare, hint);
        bottom.setPadding(new Insets(0, 10, 10, 10));
        SplitPane split = new SplitPane(viewer, bottom);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.6);
        setTop(bar);
        setCenter(split);
    }

    public JFreeChart chart() {
        return chart;
    }

    private void setAxis(Axis a) {
        Axes.Kind x = switch (a) {
            case FILE_SIZE -> Axes.Kind.BYTES;
            case SPARSITY -> Axes.Kind.PERCENT;
            case BITS -> Axes.Kind.INTEGER;
            case LATENCY -> Axes.Kind.PLAIN;
        };
        // Room to the right of the last point for its label (labels sit beside the points).
        chart.getXYPlot().setDomainAxis(Axes.axis(x, a.label, 0.12));
        chart.getXYPlot().setRangeAxis(Axes.axis(Axes.Kind.PERCENT, "test accuracy", 0));
        chart.setTitle("Trade-off: test accuracy vs " + a.label);
    }

    /** Where the export dialog saves; tests answer it without a native dialog. */
    public void setSaveDialog(Function<String, File> dialog) {
        this.saveDialog = dialog;
    }

    private void exportOnnx(VariantsViewModel vm, boolean int8) {
        Variant v = exportable;
        if (v == null) {
            return;
        }
        File f = saveDialog.apply(v.id() + (int8 ? "-int8" : "") + ".onnx");
        if (f != null) {
            vm.exportOnnx(v, f.toPath(), int8);
        }
    }

    private File chooseOnnxFile(String name) {
        FileChooser fc = new FileChooser();
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("ONNX model", "*.onnx"));
        fc.setInitialFileName(name);
        return fc.showSaveDialog(getScene().getWindow());
    }

    private void exportChart(VariantsViewModel vm) {
        FileChooser fc = new FileChooser();
        fc.getExtensionFilters()
                .addAll(
                        new FileChooser.ExtensionFilter("PNG image", "*.png"),
                        new FileChooser.ExtensionFilter("SVG image", "*.svg"));
        fc.setInitialFileName("tradeoff.png");
        File f = fc.showSaveDialog(getScene().getWindow());
        if (f != null) {
            vm.exportChart(chart, f.toPath());
        }
    }

    private static TreeTableColumn<Variant, String> col(String name, Function<Variant, String> f) {
        TreeTableColumn<Variant, String> c = new TreeTableColumn<>(name);
        c.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(
                cd.getValue().getValue() == null ? "" : f.apply(cd.getValue().getValue())));
        return c;
    }

    /** Rebuilds the lineage tree, all expanded, keeping the selection (by variant id) without reporting it again. */
    private void fill(TreeTableView<Variant> table, List<Variant> variants) {
        Set<String> keep = new HashSet<>();
        selected(table).forEach(v -> keep.add(v.id()));
        filling = true;
        try {
            table.getSelectionModel().clearSelection();
            Lineage lineage = new Lineage(List.copyOf(variants));
            table.getRoot()
                    .getChildren()
                    .setAll(lineage.roots().stream().map(v -> item(lineage, v)).toList());
            for (int row = 0; row < table.getExpandedItemCount(); row++) {
                TreeItem<Variant> it = table.getTreeItem(row);
                if (it != null
                        && it.getValue() != null
                        && keep.contains(it.getValue().id())) {
                    table.getSelectionModel().select(row);
                }
            }
        } finally {
            filling = false;
        }
    }

    private static TreeItem<Variant> item(Lineage lineage, Variant v) {
        TreeItem<Variant> it = new TreeItem<>(v);
        it.setExpanded(true);
        lineage.children(v).forEach(c -> it.getChildren().add(item(lineage, c)));
        return it;
    }

    private static List<Variant> selected(TreeTableView<Variant> table) {
        return table.getSelectionModel().getSelectedItems().stream()
                .filter(i -> i != null && i.getValue() != null)
                .map(TreeItem::getValue)
                .toList();
    }
}
