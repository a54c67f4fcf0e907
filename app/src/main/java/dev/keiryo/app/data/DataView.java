package dev.keiryo.app.data;

import dev.keiryo.app.charts.Charts;
import dev.keiryo.engine.api.experiment.DataSpec.Source;
import java.io.File;
import java.util.Map;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.TilePane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.category.DefaultCategoryDataset;

/** Data: pick the data set, see a grid of examples and how many of each class there are. */
public final class DataView extends BorderPane {
    private final DefaultCategoryDataset counts = new DefaultCategoryDataset();

    public DataView(DataViewModel vm) {
        ComboBox<Source> source = new ComboBox<>();
        source.getItems().setAll(Source.values());
        source.setId("data-source");
        source.valueProperty().bindBidirectional(vm.sourceProperty());
        source.setConverter(new StringConverter<>() {
            @Override
            public String toString(Source s) {
                return s == null
                        ? ""
                        : switch (s) {
                            case SAMPLE -> "Bundled Fashion-MNIST sample";
                            case FASHION_MNIST -> "Fashion-MNIST (full)";
                            case MNIST -> "MNIST (full)";
                            case IDX -> "Folder of IDX files";
                            case CSV -> "CSV file";
                            case CIFAR10 -> "CIFAR-10";
                            case CIFAR100 -> "CIFAR-100";
                            case IMAGES -> "Folder of class folders of images";
                        };
            }

            @Override
            public Source fromString(String s) {
                return null;
            }
        });
        TextField path = new TextField();
        path.setId("data-path");
        path.setPromptText("automatic for the sample");
        path.textProperty().bindBidirectional(vm.pathProperty());
        HBox.setHgrow(path, Priority.ALWAYS);
        Button browse = new Button("Browse...");
        browse.setOnAction(e -> browse(vm));
        ComboBox<String> label = new ComboBox<>(vm.columns());
        label.setId("data-label-column");
        label.setEditable(true);
        label.valueProperty().bindBidirectional(vm.labelColumnProperty());
        label.disableProperty().bind(vm.sourceProperty().isNotEqualTo(Source.CSV));
        path.focusedProperty().addListener((o, was, is) -> {
            if (!is && vm.sourceProperty().get() == Source.CSV) {
                vm.inspectCsv();
            }
        });
        Button load = new Button("Load");
        load.setId("data-load");
        load.setDefaultButton(true);
        load.disableProperty().bind(vm.loadingProperty());
        load.setOnAction(e -> vm.load());

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(8);
        form.addRow(0, new Label("Data set"), source);
        form.addRow(1, new Label("File or folder"), new HBox(6, path, browse));
        form.addRow(2, new Label("CSV label column"), label);
        form.add(load, 1, 3);
        GridPane.setHgrow(path.getParent(), Priority.ALWAYS);
        Label error = new Label();
        error.setId("data-error");
        error.setWrapText(true);
        error.getStyleClass().add("error-text");
        error.textProperty().bind(vm.errorProperty());
        Label description = new Label();
        description.setId("data-description");
        description.setWrapText(true);
        description.textProperty().bind(vm.descriptionProperty());

        TilePane grid = new TilePane(4, 4);
        grid.setId("data-grid");
        grid.setPrefColumns(10);
        grid.setPadding(new Insets(6));
        vm.samples().addListener((ListChangeListener<DataViewModel.Sample>) c -> {
            grid.getChildren().clear();
            for (DataViewModel.Sample s : vm.samples()) {
                WritableImage img = new WritableImage(s.width(), s.height());
                img.getPixelWriter()
                        .setPixels(
                                0, 0, s.width(), s.height(), PixelFormat.getIntArgbInstance(), s.argb(), 0, s.width());
                ImageView v = new ImageView(img);
                v.setFitWidth(56);
                v.setFitHeight(56);
                Tooltip.install(v, new Tooltip(s.label()));
                grid.getChildren().add(v);
            }
        });
        JFreeChart chart = Charts.bars("Examples per class (training set)", null, "examples", counts);
        ChartViewer histogram = new ChartViewer(chart);
        histogram.setId("data-histogram");
        histogram.setPrefHeight(300);
        vm.classCountsProperty().addListener((o, a, m) -> show(m));

        VBox left = new VBox(10, form, description, error);
        left.setPadding(new Insets(10));
        left.setPrefWidth(420);
        ScrollPane gridScroll = new ScrollPane(grid);
        gridScroll.setFitToWidth(false);
        gridScroll.setPrefViewportHeight(4 * 60 + 12);
        VBox right = new VBox(8, new Label("Training examples"), gridScroll, histogram);
        right.setPadding(new Insets(10));
        VBox.setVgrow(histogram, Priority.ALWAYS);
        setLeft(left);
        setCenter(right);
    }

    private void show(Map<String, Integer> m) {
        counts.clear();
        m.forEach((k, v) -> counts.addValue(v, "examples", k));
    }

    private void browse(DataViewModel vm) {
        File chosen;
        if (vm.sourceProperty().get() == Source.CSV) {
            FileChooser fc = new FileChooser();
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV", "*.csv", "*.txt"));
            chosen = fc.showOpenDialog(getScene().getWindow());
        } else {
            chosen = new DirectoryChooser().showDialog(getScene().getWindow());
        }
        if (chosen != null) {
            vm.pathProperty().set(chosen.getPath());
            if (vm.sourceProperty().get() == Source.CSV) {
                vm.inspectCsv();
            }
        }
    }
}
