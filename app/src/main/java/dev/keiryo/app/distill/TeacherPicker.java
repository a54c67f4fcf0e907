package dev.keiryo.app.distill;

import dev.keiryo.app.distill.DistillViewModel.TeacherChoice;
import dev.keiryo.app.workspace.Prepared;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.engine.ModelInspection;
import dev.keiryo.engine.api.engine.Session;
import dev.keiryo.engine.api.model.LayerStats;
import dev.keiryo.engine.api.run.Variant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

/**
 * The teacher choice: the session's variants and the model files added, and the chosen one loaded in
 * the background (its hidden layers are what a hint can come from).
 */
final class TeacherPicker {
    /** The loaded teacher: its preset, hidden layers, size and (for variants) test accuracy. */
    record TeacherInfo(
            TeacherChoice choice, String preset, long parameters, List<LayerStats> hidden, double accuracy) {}

    private final Workspace ws;
    private final ObservableList<TeacherChoice> teachers = FXCollections.observableArrayList();
    private final List<TeacherChoice> files = new ArrayList<>();
    private final ObjectProperty<TeacherChoice> teacher = new SimpleObjectProperty<>();
    private final StringProperty text = new SimpleStringProperty("Train or open a model first.");
    private final ChoiceLists lists = new ChoiceLists();
    private final Prepared<TeacherChoice, TeacherInfo> prepared;
    private final Consumer<TeacherChoice> changing;
    private final Consumer<TeacherInfo> loaded;
    private TeacherChoice preparedChoice;

    /**
     * @param changing runs when another teacher is chosen, before it loads
     * @param loaded runs on the UI thread once the chosen teacher is loaded
     */
    TeacherPicker(Workspace ws, Consumer<TeacherChoice> changing, Consumer<TeacherInfo> loaded) {
        this.ws = ws;
        this.changing = changing;
        this.loaded = loaded;
        prepared = new Prepared<>(ws, "load teacher", text, t -> {});
        ws.variants().addListener((ListChangeListener<Variant>) c -> refresh());
        // A new session shows its variants next, and the teacher list follows them.
        ws.sessionProperty().addListener((o, a, s) -> {
            teacher.set(null);
            teachers.setAll(files);
        });
        teacher.addListener((o, a, t) -> {
            if (!lists.updating() && !Objects.equals(t, preparedChoice)) {
                prepare(t);
            }
        });
    }

    private void refresh() {
        List<TeacherChoice> list = new ArrayList<>();
        if (ws.session().isPresent() && ws.openedRunProperty().get() == null) {
            ws.variants().forEach(v -> list.add(TeacherChoice.of(v)));
        }
        list.addAll(files);
        TeacherChoice was = teacher.get();
        lists.sync(teachers, list);
        if (was != null && list.contains(was)) {
            teacher.set(was);
        } else {
            // The session's own trained (or opened) model is the natural teacher.
            teacher.set(list.stream()
                    .filter(t -> "v0".equals(t.variant()))
                    .findFirst()
                    .orElse(list.isEmpty() ? null : list.get(0)));
        }
    }

    /** Adds a saved model (.zip or .kpack written by Keiryo) as a teacher and selects it. */
    void useFile(Path file) {
        TeacherChoice c = TeacherChoice.of(file);
        if (!files.contains(c)) {
            files.add(c);
        }
        refresh();
        teacher.set(c);
    }

    private void prepare(TeacherChoice t) {
        preparedChoice = t;
        changing.accept(t);
        prepared.prepare(t, t == null ? null : "Loading teacher " + t.label() + "...", TeacherPicker::load, info -> {
            text.set(describe(info));
            loaded.accept(info);
        });
    }

    private static TeacherInfo load(Session s, TeacherChoice t) {
        ModelInspection m;
        double accuracy = Double.NaN;
        if (t.variant() != null) {
            m = s.inspect(t.variant());
            accuracy = s.variants().stream()
                    .filter(v -> v.id().equals(t.variant()))
                    .findFirst()
                    .map(v -> v.metrics().accuracy())
                    .orElse(Double.NaN);
        } else {
            m = Engine.local().inspectFile(t.file());
        }
        return new TeacherInfo(t, m.preset(), m.stats().parameters(), hidden(m), accuracy);
    }

    /** Every layer but the output layer: the layers a hint can come from or guide. */
    static List<LayerStats> hidden(ModelInspection model) {
        List<LayerStats> all = model.stats().layers();
        return all.subList(0, all.size() - 1);
    }

    private static String describe(TeacherInfo t) {
        return String.format(
                Locale.ROOT,
                "%s: %s, %,d parameters, %s",
                t.choice().variant() != null
                        ? t.choice().variant()
                        : t.choice().file().getFileName(),
                t.preset(),
                t.parameters(),
                Double.isFinite(t.accuracy())
                        ? String.format(Locale.ROOT, "test accuracy %.4f", t.accuracy())
                        : "its test accuracy is measured when the run starts");
    }

    /** The loaded teacher, or null while there is none (yet). */
    TeacherInfo current() {
        return prepared.current();
    }

    /** The loaded teacher's model file: the file chosen, or the variant's file in the session's run. */
    Path modelFile() {
        Session s = ws.session().orElse(null);
        TeacherInfo t = prepared.current();
        if (t == null || s == null) {
            return null;
        }
        if (t.choice().file() != null) {
            return t.choice().file();
        }
        return ws.variants().stream()
                .filter(v -> v.id().equals(t.choice().variant()))
                .findFirst()
                .map(v -> s.runDir().resolve(v.modelFile()))
                .orElse(null);
    }

    ObservableList<TeacherChoice> teachers() {
        return teachers;
    }

    ObjectProperty<TeacherChoice> teacherProperty() {
        return teacher;
    }

    StringProperty textProperty() {
        return text;
    }

    ReadOnlyBooleanProperty readyProperty() {
        return prepared.readyProperty();
    }
}
