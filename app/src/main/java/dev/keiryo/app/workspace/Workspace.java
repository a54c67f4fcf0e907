package dev.keiryo.app.workspace;

import dev.keiryo.app.concurrent.Tasks;
import dev.keiryo.engine.api.engine.Session;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.run.Variant;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The state the views share, passed to every view model (no static singletons): the experiment
 * being edited (data, model and training settings: the same file the CLI runs), the live session
 * (the trained model and its run folder) and the variants shown on the trade-off chart.
 */
public final class Workspace {
    private final Tasks tasks;
    private final Status status = new Status();
    private final ObjectProperty<Path> folder = new SimpleObjectProperty<>();
    private final ObjectProperty<Experiment> experiment = new SimpleObjectProperty<>(defaults());
    private final ObjectProperty<Session> session = new SimpleObjectProperty<>();
    private final ObjectProperty<Path> openedRun = new SimpleObjectProperty<>();
    private final ObjectProperty<InputShape> dataShape = new SimpleObjectProperty<>(InputShape.SAMPLE);
    private final ObservableList<Variant> variants = FXCollections.observableArrayList();
    private final ObjectProperty<Variant> base = new SimpleObjectProperty<>();

    public Workspace(Tasks tasks, Path folder) {
        this.tasks = tasks;
        this.folder.set(folder);
    }

    /**
     * The workbench's starting experiment: LeNet-5 on the bundled sample for 6 epochs, as the demo.
     * One epoch (0.71) left a model so weak that half-width students beat it and distillation lost
     * to training from scratch: every later view's first result would teach the wrong lesson.
     */
    public static Experiment defaults() {
        Experiment d = Experiment.defaults();
        return d.withName("workbench").withTrain(d.train().withEpochs(DEFAULT_EPOCHS));
    }

    /** Epochs of the starting experiment. */
    public static final int DEFAULT_EPOCHS = 6;

    public Tasks tasks() {
        return tasks;
    }

    public Status status() {
        return status;
    }

    public ObjectProperty<Path> folderProperty() {
        return folder;
    }

    /** The folder the workspace's runs go in. */
    public Path runsFolder() {
        return folder.get().resolve("runs");
    }

    public ObjectProperty<Experiment> experimentProperty() {
        return experiment;
    }

    public Experiment experiment() {
        return experiment.get();
    }

    public ObjectProperty<Session> sessionProperty() {
        return session;
    }

    public Optional<Session> session() {
        return Optional.ofNullable(session.get()).filter(Session::open);
    }

    /** The run folder whose variants are shown when it is not the live session's (read only). */
    /** The shape of the data last loaded in the Data view (the bundled sample's until then). */
    public ObjectProperty<InputShape> dataShapeProperty() {
        return dataShape;
    }

    /** Examples as a model sees them: channels x height x width (1 x 1 x features for tables), and the classes. */
    public record InputShape(int channels, int height, int width, int classes) {
        static final InputShape SAMPLE = new InputShape(1, 28, 28, 10);

        @Override
        public String toString() {
            return channels + "x" + height + "x" + width + " input and " + classes + " classes";
        }
    }

    public ObjectProperty<Path> openedRunProperty() {
        return openedRun;
    }

    public ObservableList<Variant> variants() {
        return variants;
    }

    /** The variant that prune and quantize start from. */
    public ObjectProperty<Variant> baseProperty() {
        return base;
    }

    /** Shows a session's variants and makes its first (the trained or opened model) the base; call on the UI thread. */
    public void showSession(Session s) {
        session.set(s);
        openedRun.set(null);
        variants.setAll(s.variants());
        base.set(variants.isEmpty() ? null : variants.get(0));
    }

    /** Adds freshly applied variants; call on the UI thread. */
    public void added(List<Variant> added) {
        if (openedRun.get() != null && session.get() != null) {
            openedRun.set(null);
            variants.setAll(session.get().variants());
        } else {
            variants.addAll(added);
        }
    }
}
