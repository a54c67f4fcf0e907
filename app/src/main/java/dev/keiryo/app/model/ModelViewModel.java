package dev.keiryo.app.model;

import dev.keiryo.app.workspace.Errors;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.engine.ModelInspection;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSpec.Preset;
import dev.keiryo.engine.api.model.LayerStats;
import dev.keiryo.engine.api.model.ModelStats;
import dev.keiryo.engine.api.model.Vertex;
import dev.keiryo.engine.api.model.WeightHistogram;
import dev.keiryo.engine.api.run.Variant;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Model view's state: the preset (or saved model) the experiment uses, and the table of vertices
 * (layers, residual sums, merges, with what each reads) and weight histogram of the model on show:
 * the preset freshly built, a loaded file, or the variant that prune and quantize start from.
 */
public final class ModelViewModel {
    private final Workspace ws;
    private final Consumer<Experiment> startSession;
    private final ObjectProperty<Preset> preset = new SimpleObjectProperty<>(Preset.LENET5);
    private final DoubleProperty width = new SimpleDoubleProperty(1.0);
    private final ObservableList<LayerStats> layers = FXCollections.observableArrayList();
    private final ObservableList<VertexRow> rows = FXCollections.observableArrayList();
    private final BooleanProperty branched = new SimpleBooleanProperty();
    private final StringProperty title = new SimpleStringProperty("No model on show yet.");
    private final StringProperty totals = new SimpleStringProperty("");
    private final IntegerProperty layer = new SimpleIntegerProperty(-1);
    private final ObjectProperty<WeightHistogram> histogram = new SimpleObjectProperty<>();
    private volatile ModelInspection shown;

    /** @param startSession starts a session on an experiment (the Train view's runner) */
    public ModelViewModel(Workspace ws, Consumer<Experiment> startSession) {
        this.ws = ws;
        this.startSession = startSession;
        fromExperiment(ws.experiment());
        ws.experimentProperty().addListener((o, a, e) -> fromExperiment(e));
        preset.addListener((o, a, p) -> toExperiment());
        width.addListener((o, a, w) -> toExperiment());
        ws.baseProperty().addListener((o, a, v) -> {
            if (v != null) {
                showVariant(v);
            }
        });
        layer.addListener((o, a, i) -> refreshHistogram());
    }

    private void fromExperiment(Experiment e) {
        preset.set(e.model().preset());
        width.set(e.model().width());
    }

    private void toExperiment() {
        Experiment e = ws.experiment();
        if (e.model().preset() != preset.get() || e.model().width() != width.get()) {
            ws.experimentProperty()
                    .set(e.withModel(e.model()
                            .withPreset(preset.get())
                            .withWidth(width.get())
                            .withLoad(null)));
        }
    }

    /** Builds the chosen preset, untrained, to show its layers for the data loaded in the Data view. */
    public void showPreset() {
        Preset p = preset.get();
        double w = width.get();
        var spec = ws.experiment().model().withPreset(p).withWidth(w);
        Workspace.InputShape in = ws.dataShapeProperty().get();
        show(
                "preset " + p.id() + " (width " + w + ", untrained, for " + in + ")",
                () -> new Shown(
                        Engine.local().inspectPreset(spec, in.channels(), in.height(), in.width(), in.classes()),
                        null));
    }

    /** Shows a saved model or packed variant, and starts a session on it (evaluated, then ready to compress). */
    public void open(Path file) {
        show(file.getFileName().toString(), () -> new Shown(Engine.local().inspectFile(file), file));
    }

    private void showVariant(Variant v) {
        ws.session()
                .ifPresent(s ->
                        show("variant " + v.id() + " (" + v.step() + ")", () -> new Shown(s.inspect(v.id()), null)));
    }

    private record Shown(ModelInspection model, Path file) {}

    private void show(String what, java.util.concurrent.Callable<Shown> work) {
        ws.status().info("Inspecting " + what + "...");
        ws.tasks()
                .run(
                        "inspect model",
                        work,
                        s -> {
                            shown = s.model();
                            ModelStats stats = s.model().stats();
                            List<Vertex> vertices = s.model().vertices();
                            layers.setAll(stats.layers());
                            rows.setAll(VertexRow.of(vertices, stats.layers()));
                            branched.set(!Vertex.chain(vertices));
                            title.set(what);
                            totals.set(totals(stats, vertices));
                            layer.set(-1);
                            refreshHistogram();
                            ws.status().info("Showing " + what + ".");
                            if (s.file() != null) {
                                Experiment e = ws.experiment();
                                Experiment load = e.withModel(
                                                e.model().withLoad(s.file().toString()))
                                        .withTrain(e.train().withEpochs(0));
                                ws.experimentProperty().set(load);
                                startSession.accept(load);
                            }
                        },
                        e -> ws.status().error("Could not open the model: " + Errors.describe(e)));
    }

    private String totals(ModelStats stats, List<Vertex> vertices) {
        String sizes = String.format(
                Locale.ROOT,
                "%,d parameters, %,d non-zero (%.1f%% sparse), %,d FLOPs per example, %,d bytes as float32",
                stats.parameters(),
                stats.nonZeros(),
                100 * stats.sparsity(),
                stats.flopsPerSample(),
                stats.float32Bytes());
        if (!branched.get()) {
            return sizes;
        }
        return sizes
                + String.format(
                        Locale.ROOT,
                        "\nA graph of %d vertices, %d of them layers; branches join at %d (residual sums and merges,"
                                + " in bold in the table)",
                        rows.size(),
                        stats.layers().size(),
                        VertexRow.joins(vertices));
    }

    private void refreshHistogram() {
        ModelInspection model = shown;
        int i = layer.get();
        if (model == null) {
            return;
        }
        ws.tasks().run("weight histogram", () -> model.histogram(i, 60), histogram::set, ws.status()::error);
    }

    public ObjectProperty<Preset> presetProperty() {
        return preset;
    }

    public DoubleProperty widthProperty() {
        return width;
    }

    public ObservableList<LayerStats> layers() {
        return layers;
    }

    /** The table's rows: every vertex, with its layer's statistics where it has a layer. */
    public ObservableList<VertexRow> rows() {
        return rows;
    }

    /** The model on show has branches (e.g. residual sums), so the table shows what each vertex reads. */
    public BooleanProperty branchedProperty() {
        return branched;
    }

    public StringProperty titleProperty() {
        return title;
    }

    public StringProperty totalsProperty() {
        return totals;
    }

    /** The layer whose weights the histogram shows; -1 for all layers. */
    public IntegerProperty layerProperty() {
        return layer;
    }

    public ObjectProperty<WeightHistogram> histogramProperty() {
        return histogram;
    }
}
