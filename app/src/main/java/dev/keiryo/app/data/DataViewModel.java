package dev.keiryo.app.data;

import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.engine.DataPreview;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.DataSpec.Source;
import dev.keiryo.engine.api.experiment.Experiment;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The Data view's state: which data set, where, which CSV label column, and what it looks like. */
public final class DataViewModel {
    static final int GRID = 40;

    private final Workspace ws;
    private final ObjectProperty<Source> source = new SimpleObjectProperty<>(Source.SAMPLE);
    private final StringProperty path = new SimpleStringProperty("");
    private final StringProperty labelColumn = new SimpleStringProperty();
    private final ObservableList<String> columns = FXCollections.observableArrayList();
    private final StringProperty description = new SimpleStringProperty("No data loaded yet.");
    private final StringProperty error = new SimpleStringProperty("");
    private final BooleanProperty loading = new SimpleBooleanProperty();
    private final ObservableList<Sample> samples = FXCollections.observableArrayList();
    private final ObjectProperty<Map<String, Integer>> classCounts = new SimpleObjectProperty<>(Map.of());

    /** One example as ARGB pixels, ready to draw. */
    public record Sample(int width, int height, int[] argb, String label) {}

    /** What a load produced, computed off the UI thread. */
    record Loaded(String description, List<Sample> samples, Map<String, Integer> counts, Workspace.InputShape shape) {}

    public DataViewModel(Workspace ws) {
        this.ws = ws;
        fromExperiment(ws.experiment());
        ws.experimentProperty().addListener((o, a, e) -> fromExperiment(e));
    }

    private void fromExperiment(Experiment e) {
        source.set(e.data().source());
        path.set(e.data().path() == null ? "" : e.data().path());
        labelColumn.set(e.data().labelColumn());
    }

    /** Reads the CSV header (or counts the columns) so the user can pick the label column by name. */
    public void inspectCsv() {
        String p = path.get();
        if (p == null || p.isBlank()) {
            return;
        }
        ws.tasks()
                .run(
                        "read CSV header",
                        () -> header(Path.of(p)),
                        cols -> {
                            columns.setAll(cols);
                            if (labelColumn.get() == null || !cols.contains(labelColumn.get())) {
                                labelColumn.set(cols.isEmpty() ? null : cols.get(cols.size() - 1));
                            }
                        },
                        e -> ws.status().error(e));
    }

    static List<String> header(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            List<String> cols = new ArrayList<>();
            if (first == null) {
                return cols;
            }
            String[] fields = first.split(",", -1);
            boolean named = false;
            for (String f : fields) {
                try {
                    Double.parseDouble(f.strip());
                } catch (NumberFormatException e) {
                    named = true;
                }
            }
            for (int i = 0; i < fields.length; i++) {
                cols.add(named ? fields[i].strip().replace("\"", "") : Integer.toString(i));
            }
            return cols;
        }
    }

    /** Loads the chosen data in the background and makes it the experiment's data. */
    public void load() {
        Source s = source.get();
        String p =
                path.get() == null || path.get().isBlank() ? null : path.get().strip();
        String label = s == Source.CSV ? labelColumn.get() : null;
        if ((s == Source.IDX || s == Source.CSV || s == Source.IMAGES) && p == null) {
            fail("Choose a "
                    + switch (s) {
                        case CSV -> "CSV file";
                        case IMAGES -> "folder of images (one sub-folder per class)";
                        default -> "folder of IDX files";
                    }
                    + " first.");
            return;
        }
        Experiment exp = ws.experiment();
        DataSpec spec =
                exp.data().withSource(s).withPath(s == Source.SAMPLE ? null : p).withLabelColumn(label);
        loading.set(true);
        error.set("");
        ws.status().busy(true);
        ws.status().info("Loading " + s.id() + (p == null ? "" : " from " + p) + "...");
        long seed = exp.seed();
        ws.tasks()
                .run(
                        "load data",
                        () -> read(s, p, label, seed),
                        loaded -> {
                            loading.set(false);
                            ws.status().busy(false);
                            description.set(loaded.description());
                            samples.setAll(loaded.samples());
                            classCounts.set(loaded.counts());
                            ws.dataShapeProperty().set(loaded.shape());
                            ws.experimentProperty().set(ws.experiment().withData(spec));
                            ws.status().info("Loaded " + loaded.description());
                        },
                        e -> {
                            loading.set(false);
                            ws.status().busy(false);
                            fail(dev.keiryo.app.workspace.Errors.describe(e));
                        });
    }

    private void fail(String message) {
        error.set(message);
        ws.status().error(message);
    }

    static Loaded read(Source s, String p, String label, long seed) {
        DataSpec spec = DataSpec.defaults().withSource(s).withPath(p).withLabelColumn(label);
        DataPreview preview = Engine.local().previewData(spec, seed, GRID);
        List<Sample> grid = preview.images().stream().map(DataViewModel::sample).toList();
        return new Loaded(
                preview.description(),
                grid,
                preview.classCounts(),
                new Workspace.InputShape(
                        preview.channels(),
                        preview.height(),
                        preview.width(),
                        preview.classCounts().size()));
    }

    /**
     * Levels scaled to the example's own range, so raw 0..255 and pre-scaled data both show. Grey
     * images are drawn dark on light, as digits and clothes are printed; colour ones as they are,
     * one range for all three channels so the hues stay true.
     */
    static Sample sample(DataPreview.Image image) {
        float[] values = image.pixels();
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float v : values) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        float range = hi > lo ? hi - lo : 1;
        int plane = image.width() * image.height();
        boolean colour = image.channels() >= 3;
        int[] argb = new int[plane];
        for (int j = 0; j < plane; j++) {
            if (colour) {
                int r = level(values[j], lo, range);
                int g = level(values[plane + j], lo, range);
                int b = level(values[2 * plane + j], lo, range);
                argb[j] = 0xff000000 | r << 16 | g << 8 | b;
            } else {
                int g = 255 - level(values[j], lo, range);
                argb[j] = 0xff000000 | g << 16 | g << 8 | g;
            }
        }
        return new Sample(image.width(), image.height(), argb, image.label());
    }

    private static int level(float v, float lo, float range) {
        return Math.round(255 * (v - lo) / range);
    }

    public ObjectProperty<Source> sourceProperty() {
        return source;
    }

    public StringProperty pathProperty() {
        return path;
    }

    public StringProperty labelColumnProperty() {
        return labelColumn;
    }

    public ObservableList<String> columns() {
        return columns;
    }

    public StringProperty descriptionProperty() {
        return description;
    }

    public StringProperty errorProperty() {
        return error;
    }

    public BooleanProperty loadingProperty() {
        return loading;
    }

    public ObservableList<Sample> samples() {
        return samples;
    }

    public ObjectProperty<Map<String, Integer>> classCountsProperty() {
        return classCounts;
    }
}
