package dev.keiryo.app.distill;

import dev.keiryo.app.concurrent.Latest;
import dev.keiryo.app.distill.TeacherPicker.TeacherInfo;
import dev.keiryo.app.workspace.Errors;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.compress.DistillMode;
import dev.keiryo.engine.api.experiment.DistillStepSpec;
import dev.keiryo.engine.api.experiment.StepSpec;
import dev.keiryo.engine.api.model.LayerStats;
import dev.keiryo.engine.api.run.Variant;
import java.nio.file.Path;
import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableList;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Distill: a teacher (a variant of the session or a saved model file) and a student (a preset, or a
 * thinner copy of the teacher), trained as the engine's distillation comparison does (from scratch,
 * with KD, with hints then KD; over one or more seeds) as one step of the session's run. Settings
 * are checked in the background by the same engine call that the run makes first, so the sentences
 * are the CLI's.
 *
 * <p>The work is in its parts: {@link TeacherPicker} (the teacher choice), {@link StudentSizer}
 * (the student and its size), {@link DistillSettingsModel} (T, alpha, epochs, seeds, hint layers),
 * {@link DistillRunner} (start, stop, the width sweep) and {@link DistillCurves} (the charts). This
 * class wires them together and is what the view binds to.
 */
public final class DistillViewModel {
    /** What the student is: a copy of the teacher's preset at some width, or a preset of its own. */
    public enum StudentKind {
        TEACHER_COPY(null),
        LENET300(dev.keiryo.engine.api.experiment.ModelSpec.Preset.LENET300),
        LENET5(dev.keiryo.engine.api.experiment.ModelSpec.Preset.LENET5),
        TEACHER(dev.keiryo.engine.api.experiment.ModelSpec.Preset.TEACHER),
        MLP(dev.keiryo.engine.api.experiment.ModelSpec.Preset.MLP);

        final dev.keiryo.engine.api.experiment.ModelSpec.Preset preset;

        StudentKind(dev.keiryo.engine.api.experiment.ModelSpec.Preset preset) {
            this.preset = preset;
        }

        public String label() {
            return preset == null ? "copy of the teacher's architecture" : preset.id();
        }
    }

    /** A teacher: a variant of the live session, or a model file. */
    public record TeacherChoice(String variant, Path file, String label) {
        static TeacherChoice of(Variant v) {
            return new TeacherChoice(
                    v.id(),
                    null,
                    v.id() + " (" + v.step()
                            + String.format(
                                    Locale.ROOT, ", accuracy %.4f)", v.metrics().accuracy()));
        }

        static TeacherChoice of(Path file) {
            return new TeacherChoice(null, file.toAbsolutePath(), "file: " + file.getFileName());
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** An entry of a layer picker; {@code name} null means no hint stage. */
    public record LayerChoice(String name, String label) {
        public static final LayerChoice NONE = new LayerChoice(null, "no hints");

        static LayerChoice of(LayerStats l) {
            return new LayerChoice(l.name(), l.name() + " (" + l.type() + ", " + l.outputShape() + ")");
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final Workspace ws;
    private final StringProperty problem = new SimpleStringProperty("");
    private final DistillSettingsModel settings;
    private final TeacherPicker teacher;
    private final StudentSizer student;
    private final DistillRunner runner;
    private final DistillCurves curves;
    private final Latest<StepSpec, String> check;

    public DistillViewModel(Workspace ws) {
        this.ws = ws;
        settings = new DistillSettingsModel(this::validate);
        teacher = new TeacherPicker(ws, t -> teacherChanging(), this::teacherLoaded);
        student = new StudentSizer(
                ws,
                teacher::current,
                s -> {
                    settings.studentLayers(s.hidden());
                    validate();
                },
                () -> {
                    settings.noStudent();
                    validate();
                });
        runner = new DistillRunner(ws, this::spec, teacher::modelFile, problem);
        curves = runner.curves();
        ws.sessionProperty().addListener((o, a, b) -> runner.forgetRun());
        check = new Latest<>(
                ws.tasks(),
                "check distillation",
                step -> {
                    ws.session().orElseThrow().check(step);
                    return "";
                },
                problem::set,
                e -> problem.set(Errors.describe(e)));
    }

    /** Another teacher was chosen: what was derived from the last one goes until it has loaded. */
    private void teacherChanging() {
        student.clear();
        runner.clearHeadless();
        settings.clearHints();
        ws.session().ifPresent(s -> curves.measuredOn(s.experiment()));
    }

    private void teacherLoaded(TeacherInfo info) {
        settings.teacherLayers(info.hidden());
        student.request();
    }

    /** The step the controls describe; throws for settings that cannot even be expressed. */
    DistillStepSpec spec() {
        TeacherInfo t = teacher.current();
        if (t == null) {
            throw new dev.keiryo.engine.api.KeiryoException(
                    "Choose a teacher first (a variant of this run or a model file).");
        }
        return settings.spec(
                t.choice(),
                student.kindProperty().get(),
                student.widthProperty().get());
    }

    /** Checks the settings in the background with the engine's own checks; the sentence (or "") lands in {@link #problemProperty()}. */
    private void validate() {
        if (runner.runningProperty().get()
                || teacher.current() == null
                || student.info() == null
                || ws.session().isEmpty()) {
            return;
        }
        runner.describeHeadless();
        try {
            check.submit(StepSpec.of(spec()));
        } catch (RuntimeException e) {
            problem.set(Errors.describe(e));
        }
    }

    /** Adds a saved model (.zip or .kpack written by Keiryo) as a teacher and selects it. */
    public void useTeacherFile(Path file) {
        teacher.useFile(file);
    }

    /** Trains the students as one step of the session's run; each finished student becomes a variant. */
    public void start() {
        runner.start();
    }

    /** Distils one KD student per width of {@link #sweepWidthsProperty()}; see {@link DistillRunner#sweep()}. */
    public void sweep() {
        runner.sweep();
    }

    /** Stops after the current minibatch; students finished before are kept as variants (a sweep ends there too). */
    public void stop() {
        runner.stop();
    }

    public ObservableList<TeacherChoice> teachers() {
        return teacher.teachers();
    }

    public ObjectProperty<TeacherChoice> teacherProperty() {
        return teacher.teacherProperty();
    }

    /** The teacher as a variant of the session; null for a model file or before one is chosen. */
    public javafx.beans.value.ObservableValue<Variant> teacherVariantProperty() {
        return javafx.beans.binding.Bindings.createObjectBinding(
                () -> {
                    TeacherChoice t = teacher.teacherProperty().get();
                    return t == null || t.variant() == null
                            ? null
                            : ws.variants().stream()
                                    .filter(v -> v.id().equals(t.variant()))
                                    .findFirst()
                                    .orElse(null);
                },
                teacher.teacherProperty(),
                ws.variants());
    }

    public StringProperty teacherTextProperty() {
        return teacher.textProperty();
    }

    /** True once the teacher is loaded. */
    public ReadOnlyBooleanProperty readyProperty() {
        return teacher.readyProperty();
    }

    public ObjectProperty<StudentKind> studentProperty() {
        return student.kindProperty();
    }

    public DoubleProperty widthProperty() {
        return student.widthProperty();
    }

    public StringProperty studentTextProperty() {
        return student.textProperty();
    }

    public DoubleProperty temperatureProperty() {
        return settings.temperatureProperty();
    }

    public DoubleProperty alphaProperty() {
        return settings.alphaProperty();
    }

    public IntegerProperty epochsProperty() {
        return settings.epochsProperty();
    }

    public IntegerProperty hintEpochsProperty() {
        return settings.hintEpochsProperty();
    }

    public IntegerProperty seedsProperty() {
        return settings.seedsProperty();
    }

    public BooleanProperty compareProperty() {
        return settings.compareProperty();
    }

    public ObservableList<LayerChoice> hintLayers() {
        return settings.hintLayers();
    }

    public ObservableList<LayerChoice> guidedLayers() {
        return settings.guidedLayers();
    }

    public ObjectProperty<LayerChoice> hintLayerProperty() {
        return settings.hintLayerProperty();
    }

    public ObjectProperty<LayerChoice> guidedLayerProperty() {
        return settings.guidedLayerProperty();
    }

    /** Why the settings cannot run, as the engine says it; empty when they can. */
    public StringProperty problemProperty() {
        return problem;
    }

    public BooleanProperty runningProperty() {
        return runner.runningProperty();
    }

    public DoubleProperty progressProperty() {
        return runner.progressProperty();
    }

    public StringProperty messageProperty() {
        return runner.messageProperty();
    }

    /** The student widths of a sweep, as typed: numbers in (0, 1] separated by commas. */
    public StringProperty sweepWidthsProperty() {
        return runner.sweepWidthsProperty();
    }

    /** Why the typed widths cannot be swept; empty when they can. */
    public StringProperty sweepProblemProperty() {
        return runner.sweepProblemProperty();
    }

    /** The {@code keiryo distill} command lines that do this tab's distillation and sweep headless. */
    public StringProperty headlessProperty() {
        return runner.headlessProperty();
    }

    public StringProperty summaryProperty() {
        return curves.summaryProperty();
    }

    /** Which split the per-epoch curves are measured on: "validation", or "test" without one. */
    public StringProperty curveSetProperty() {
        return curves.curveSetProperty();
    }

    /** The per-epoch curves of one mode's students (one series per seed). */
    public XYSeriesCollection curves(DistillMode m) {
        return curves.curves(m);
    }

    /** A sweep's per-epoch curves: one series per width (and seed). */
    public XYSeriesCollection sweepCurves() {
        return curves.sweepCurves();
    }

    /** The teacher's test accuracy as a horizontal line over the students' epochs. */
    public XYSeriesCollection teacherLine() {
        return curves.teacherLine();
    }

    /** The hint stage's L2 loss per minibatch (one series per seed). */
    public XYSeriesCollection hintLoss() {
        return curves.hintLoss();
    }
}
