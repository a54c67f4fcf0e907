package dev.keiryo.app.model;

import dev.keiryo.app.charts.Charts;
import dev.keiryo.app.charts.HistogramData;
import dev.keiryo.engine.api.experiment.ModelSpec.Preset;
import java.io.File;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/** Model: preset or saved model, a table of its layers (of its graph's vertices), and the weight histogram of the selected layer. */
public final class ModelView extends BorderPane {
    public ModelView(ModelViewModel vm) {
        ComboBox<Preset> preset = new ComboBox<>();
        preset.getItems().setAll(Preset.values());
        preset.setId("model-preset");
        preset.valueProperty().bindBidirectional(vm.presetProperty());
        preset.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Preset p) {
                return p == null
                        ? ""
                        : switch (p) {
                            case LENET300 -> "lenet300 (LeNet-300-100)";
                            case LENET5 -> "lenet5 (LeNet-5)";
                            case TEACHER -> "teacher (larger CNN)";
                            case MLP -> "mlp (tabular)";
                            case RESNET20 -> "resnet20 (ResNet-20, residual)";
                            case VGG_SMALL -> "vgg-small (small VGG)";
                        };
            }

            @Override
            public Preset fromString(String s) {
                return null;
            }
        });
        Spinner<Double> width = new Spinner<>(0.125, 4.0, vm.widthProperty().get(), 0.125);
        width.setPrefWidth(90);
        width.valueProperty().addListener((o, a, w) -> vm.widthProperty().set(w));
        vm.widthProperty().addListener((o, a, w) -> width.getValueFactory().setValue(w.doubleValue()));
        Button show = new Button("Show preset");
        show.setId("model-show");
        show.setOnAction(e -> vm.showPreset());
        Button open = new Button("Open model file...");
        open.setId("model-open");
        open.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.getExtensionFilters()
                    .add(new FileChooser.ExtensionFilter("Models", "*.zip", "*.kpack", "*.onnx", "*.h5"));
            File f = fc.showOpenDialog(getScene().getWindow());
            if (f != null) {
                vm.open(f.toPath());
            }
        });
        HBox bar = new HBox(8, new Label("Preset"), preset, new Label("Width"), width, show, open);
        bar.setPadding(new Insets(10));

        TableView<VertexRow> table = VertexTable.of(vm);

        Label title = new Label();
        title.setId("model-title");
        title.getStyleClass().add("heading");
        title.textProperty().bind(vm.titleProperty());
        Label totals = new Label();
        totals.setId("model-totals");
        totals.textProperty().bind(vm.totalsProperty());
        totals.setMinHeight(Region.USE_PREF_SIZE);

        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        JFreeChart chart = Charts.histogram("Weights: all layers", "weight value", data);
        ChartViewer viewer = new ChartViewer(chart);
        viewer.setId("model-histogram");
        vm.histogramProperty().addListener((o, a, h) -> {
            if (h != null) {
                HistogramData.fill(data, h);
                chart.setTitle(String.format(
                        Locale.ROOT,
                        "Weights of %s: %,d, of which %,d exactly zero (not drawn)",
                        "all".equals(h.layer()) ? "all layers" : "layer " + h.layer(),
                        h.total(),
                        h.zeros()));
            }
        });
        VBox top = new VBox(6, title, totals, table);
        VBox.setVgrow(table, Priority.ALWAYS);
        top.setPadding(new Insets(0, 10, 0, 10));
        SplitPane split = new SplitPane(top, viewer);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.5);
        setTop(bar);
        setCenter(split);
    }
}
