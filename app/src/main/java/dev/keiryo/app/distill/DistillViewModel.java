package dev.keiryo.app.distill;

import dev.keiryo.app.concurrent.Drain;
import dev.keiryo.app.concurrent.Latest;
import dev.keiryo.app.experiments.HeadlessCommand;
import dev.keiryo.app.workspace.Errors;
import dev.keiryo.app.workspace.Prepared;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.compress.distill.DistillMode;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.experiment.DistillStepSpec;
import dev.keiryo.engine.experiment.Experiment;
import dev.keiryo.engine.experiment.StepSpec;
import dev.keiryo.engine.job.ModelFiles;
import dev.keiryo.engine.job.Session;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.LayerStats;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.ModelSpec;
import dev.keiryo.engine.model.ModelStats;
import dev.keiryo.engine.model.Preset;
import dev.keiryo.engine.train.CancellationToken;
import dev.keiryo.engine.train.TrainSettings;
import dev.keiryo.engine.train.TrainingEvent;
import dev.keiryo.engine.variant.Variant;
import dev.keiryo.engine.variant.VariantStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Distill: a teacher (a variant of the session or a saved model file) and a student (a preset, or a
 * thinner copy of the teacher), trained as the engine's distillation comparison does (from scratch,
 * with KD, with hints then KD; over one or more seeds) as one step of the session's run. Settings
 * are checked in the background by the same engine call that the run makes first, so the sentences
 * are the CLI's. The live curves come from the step's events through a {@link Drain}.
 */
public final class DistillViewModel {
    /** What the student is: a copy of the teacher's preset at some width, or a preset of its own. */
    public enum StudentKind {
        TEACHER_COPY(null),
        LENET300(dev.keiryo.engine.experiment.ModelSpec.Preset.LENET300),
        LENET5(dev.keiryo.engine.experiment.ModelSpec.Preset.LENET5),
        TEACHER(dev.keiryo.engine.experiment.ModelSpec.Preset.TEACHER),
        MLP(dev.keiryo.engine.experiment.ModelSpec.Preset.MLP);

        final dev.keiryo.engine.experiment.ModelSpec.Preset preset;

        StudentKind(dev.keiryo.engine.experiment.ModelSpec.Preset preset) {
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

    /** The loaded teacher: its model, hidden layers, size and (for variants) test accuracy. */
    record TeacherInfo(
            TeacherChoice choice, KeiryoModel model, long parameters, List<LayerStats> hidden, double accuracy) {}

    /** The student the settings describe and what it costs against the teacher. */
    record StudentInfo(TeacherInfo teacher, ModelSpec spec, long parameters, List<LayerStats> hidden) {}

    private record StudentRequest(TeacherInfo teacher, StudentKind kind, double width, Dataset data) {}

    /** An event of step {@code item} of {@code items}; {@code width} is the student's width in a sweep, null otherwise. */
    private record Tagged(TrainingEvent event, Double width, int item, int items) {}

    private final Workspace ws;
    private final ObservableList<TeacherChoice> teachers = FXCollections.observableArrayList();
    private final List<TeacherChoice> files = new ArrayList<>();
    private final ObjectProperty<TeacherChoice> teacher = new SimpleObjectProperty<>();
    private final ObjectProperty<StudentKind> student = new SimpleObjectProperty<>(StudentKind.TEACHER_COPY);
    private final DoubleProperty width = new SimpleDoubleProperty(0.5);
    private final DoubleProperty temperature = new SimpleDoubleProperty(DistillStepSpec.DEFAULT_TEMPERATURE);
    private final DoubleProperty alpha = new SimpleDoubleProperty(DistillStepSpec.DEFAULT_ALPHA);
    private final ObservableList<LayerChoice> hintLayers = FXCollections.observableArrayList(LayerChoice.NONE);
    private final ObservableList<LayerChoice> guidedLayers = FXCollections.observableArrayList(LayerChoice.NONE);
    private final ObjectProperty<LayerChoice> hintLayer = new SimpleObjectProperty<>(LayerChoice.NONE);
    private final ObjectProperty<LayerChoice> guidedLayer = new SimpleObjectProperty<>(LayerChoice.NONE);
    private final IntegerProperty epochs = new SimpleIntegerProperty(3);
    private final IntegerProperty hintEpochs = new SimpleIntegerProperty(1);
    private final IntegerProperty seeds = new SimpleIntegerProperty(1);
    private final BooleanProperty compare = new SimpleBooleanProperty(true);
    private final StringProperty teacherText = new SimpleStringProperty("Train or open a model first.");
    private final StringProperty studentText = new SimpleStringProperty("");
    private final StringProperty problem = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("Choose a teacher and a student, then Start.");
    private final StringProperty summary = new SimpleStringProperty("");
    private final StringProperty curveSet = new SimpleStringProperty("validation");
    private final BooleanProperty running = new SimpleBooleanProperty();
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final Map<DistillMode, XYSeriesCollection> curves = new EnumMap<>(DistillMode.class);
    private final XYSeriesCollection teacherLine = new XYSeriesCollection();
    private final XYSeriesCollection hintLoss = new XYSeriesCollection();
    private final Map<String, XYSeries> series = new LinkedHashMap<>();
    private final Map<DistillMode, List<Double>> results = new EnumMap<>(DistillMode.class);
    private final StringProperty sweepWidths = new SimpleStringProperty(Widths.EXAMPLE);
    private final StringProperty sweepProblem = new SimpleStringProperty("");
    private final StringProperty headless = new SimpleStringProperty("");
    private final XYSeriesCollection sweepCurves = new XYSeriesCollection();
    private final Map<Double, List<Double>> sweepResults = new LinkedHashMap<>();
    private final Prepared<TeacherChoice, TeacherInfo> prepared;
    private final Latest<StudentRequest, StudentInfo> describeStudent;
    private final Latest<StepSpec, String> check;
    private final Drain<Tagged> drain;
    private volatile StudentInfo studentInfo;
    private volatile CancellationToken cancel;
    private Session runningSession;
    private DistillStepSpec runningSpec;
    private boolean updatingLists;
    private TeacherChoice preparedChoice;
    private TrainingEvent.Student current;

    public DistillViewModel(Workspace ws) {
        this.ws = ws;
        for (DistillMode m : DistillMode.values()) {
            curves.put(m, new XYSeriesCollection());
        }
        prepared = new Prepared<>(ws, "load teacher", teacherText, t -> {});
        describeStudent =
                new Latest<>(ws.tasks(), "describe student", DistillViewModel::describe, this::studentReady, e -> {
                    studentInfo = null;
                    studentText.set(Errors.describe(e));
                    sync(guidedLayers, List.of(LayerChoice.NONE));
                    guidedLayer.set(LayerChoice.NONE);
                    validate();
                });
        check = new Latest<>(
                ws.tasks(),
                "check distillation",
                step -> {
                    ws.session().orElseThrow().check(step);
                    return "";
                },
                problem::set,
                e -> problem.set(Errors.describe(e)));
        drain = new Drain<>(ws.tasks(), 200, this::show);
        ws.variants().addListener((ListChangeListener<Variant>) c -> refreshTeachers());
        // A new session shows its variants next, and the teacher list follows them.
        ws.sessionProperty().addListener((o, a, s) -> {
            teacher.set(null);
            teachers.setAll(files);
        });
        teacher.addListener((o, a, t) -> {
            if (!updatingLists && !Objects.equals(t, preparedChoice)) {
                prepareTeacher(t);
            }
        });
        student.addListener((o, a, b) -> requestStudent());
        width.addListener((o, a, b) -> requestStudent());
        hintLayer.addListener((o, a, h) -> {
            if (updatingLists) {
                return;
            }
            if (h == null || h.name() == null) {
                guidedLayer.set(LayerChoice.NONE);
            } else if (guidedLayer.get() == null || guidedLayer.get().name() == null) {
                guidedLayer.set(guidedFor(h));
            }
            validate();
        });
        guidedLayer.addListener((o, a, g) -> {
            if (updatingLists) {
                return;
            }
            if (g == null || g.name() == null) {
                hintLayer.set(LayerChoice.NONE);
            }
            validate();
        });
        List.of(temperature, alpha, epochs, hintEpochs, seeds).forEach(p -> p.addListener((o, a, b) -> validate()));
        compare.addListener((o, a, b) -> validate());
        sweepWidths.addListener((o, a, b) -> {
            checkWidths();
            describeHeadless();
        });
    }

    private void refreshTeachers() {
        List<TeacherChoice> list = new ArrayList<>();
        if (ws.session().isPresent() && ws.openedRunProperty().get() == null) {
            ws.variants().forEach(v -> list.add(TeacherChoice.of(v)));
        }
        list.addAll(files);
        TeacherChoice was = teacher.get();
        sync(teachers, list);
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
    public void useTeacherFile(Path file) {
        TeacherChoice c = TeacherChoice.of(file);
        if (!files.contains(c)) {
            files.add(c);
        }
        refreshTeachers();
        teacher.set(c);
    }

    private void prepareTeacher(TeacherChoice t) {
        preparedChoice = t;
        studentInfo = null;
        studentText.set("");
        headless.set("");
        hintLayer.set(LayerChoice.NONE);
        sync(hintLayers, List.of(LayerChoice.NONE));
        Session s = ws.session().orElse(null);
        if (s != null) {
            curveSet.set(s.experiment().data().validationFraction() > 0 ? "validation" : "training-subset");
        }
        prepared.prepare(t, t == null ? null : "Loading teacher " + t.label() + "...", DistillViewModel::load, info -> {
            teacherText.set(describe(info));
            List<LayerChoice> hints = new ArrayList<>(List.of(LayerChoice.NONE));
            info.hidden().forEach(l -> hints.add(LayerChoice.of(l)));
            sync(hintLayers, hints);
            requestStudent();
        });
    }

    private static TeacherInfo load(Session s, TeacherChoice t) {
        KeiryoModel m;
        double accuracy = Double.NaN;
        if (t.variant() != null) {
            m = s.model(t.variant());
            accuracy = s.variants().stream()
                    .filter(v -> v.id().equals(t.variant()))
                    .findFirst()
                    .map(v -> v.metrics().accuracy())
                    .orElse(Double.NaN);
        } else {
            m = ModelFiles.load(t.file());
        }
        if (m.meta() == null) {
            throw new dev.keiryo.engine.KeiryoException(
                    "distill: the teacher has no Keiryo metadata (input shape, classes);"
                            + " save it with Keiryo first.");
        }
        return new TeacherInfo(
                t,
                m,
                m.net().numParams(),
                hidden(m.net(), m.meta().input(), m.meta().imageShaped()),
                accuracy);
    }

    /** Every layer but the output layer: the layers a hint can come from or guide. */
    private static List<LayerStats> hidden(MultiLayerNetwork net, InputShape in, boolean image) {
        List<LayerStats> all = ModelStats.of(net, in.toInputType(image)).layers();
        return all.subList(0, all.size() - 1);
    }

    private static String describe(TeacherInfo t) {
        return String.format(
                Locale.ROOT,
                "%s: %s, %,d parameters, %s",
                t.choice().variant() != null
                        ? t.choice().variant()
                        : t.choice().file().getFileName(),
                t.model().meta().preset(),
                t.parameters(),
                Double.isFinite(t.accuracy())
                        ? String.format(Locale.ROOT, "test accuracy %.4f", t.accuracy())
                        : "its test accuracy is measured when the run starts");
    }

    private void requestStudent() {
        TeacherInfo t = prepared.current();
        Session s = ws.session().orElse(null);
        if (t == null || s == null) {
            return;
        }
        studentText.set("Sizing the student...");
        describeStudent.submit(new StudentRequest(t, student.get(), width.get(), s.previewData()));
    }

    private static StudentInfo describe(StudentRequest r) {
        Preset preset = r.kind().preset != null
                ? Preset.parse(r.kind().preset.id())
                : Preset.parse(r.teacher().model().meta().preset());
        ModelSpec spec = new ModelSpec(preset, r.width(), null, 0);
        Dataset d = r.data();
        InputShape in = new InputShape(d.channels(), d.height(), d.width());
        MultiLayerNetwork net = ModelFactory.build(spec, in, d.numClasses(), TrainSettings.defaults());
        return new StudentInfo(r.teacher(), spec, net.numParams(), hidden(net, in, preset.convolutional()));
    }

    @SuppressWarnings("ReferenceEquality") // only the teacher still prepared, that very one, may show
    private void studentReady(StudentInfo s) {
        if (s.teacher() != prepared.current()) {
            return;
        }
        studentInfo = s;
        long t = s.teacher().parameters();
        studentText.set(String.format(
                Locale.ROOT,
                "%s x%s: %,d parameters, %.1f%% of the teacher's %,d (%.1fx fewer)",
                s.spec().preset().id(),
                num(s.spec().width()),
                s.parameters(),
                100.0 * s.parameters() / t,
                t,
                (double) t / s.parameters()));
        LayerChoice was = guidedLayer.get();
        List<LayerChoice> guided = new ArrayList<>(List.of(LayerChoice.NONE));
        s.hidden().forEach(l -> guided.add(LayerChoice.of(l)));
        LayerChoice hint = hintLayer.get();
        sync(guidedLayers, guided);
        LayerChoice same = guided.stream()
                .filter(g -> was != null && Objects.equals(g.name(), was.name()))
                .findFirst()
                .orElse(null);
        if (hint != null && hint.name() != null) {
            guidedLayer.set(same != null && same.name() != null ? same : guidedFor(hint));
        } else {
            guidedLayer.set(LayerChoice.NONE);
        }
        validate();
    }

    /**
     * Makes {@code target} equal to {@code items} by removing and inserting only what differs. A combo
     * box whose items are replaced wholesale drops its value; the values it pushes back meanwhile are
     * ignored ({@link #updatingLists}), and callers set the value they mean afterwards.
     */
    private <T> void sync(ObservableList<T> target, List<T> items) {
        updatingLists = true;
        try {
            target.removeIf(t -> !items.contains(t));
            for (int i = 0; i < items.size(); i++) {
                if (i >= target.size() || !target.get(i).equals(items.get(i))) {
                    target.add(i, items.get(i));
                }
            }
            if (target.size() > items.size()) {
                target.remove(items.size(), target.size());
            }
        } finally {
            updatingLists = false;
        }
    }

    /** The guided layer offered for a hint: the student's layer of the same name, else its last hidden layer. */
    private LayerChoice guidedFor(LayerChoice hint) {
        return guidedLayers.stream()
                .filter(g -> Objects.equals(g.name(), hint.name()))
                .findFirst()
                .orElse(guidedLayers.get(guidedLayers.size() - 1));
    }

    /** The step the controls describe; throws for settings that cannot even be expressed. */
    DistillStepSpec spec() {
        TeacherInfo t = prepared.current();
        if (t == null) {
            throw new dev.keiryo.engine.KeiryoException(
                    "Choose a teacher first (a variant of this run or a model file).");
        }
        TeacherChoice c = t.choice();
        LayerChoice h = hintLayer.get();
        LayerChoice g = guidedLayer.get();
        return new DistillStepSpec(
                c.variant(),
                c.file() == null ? null : c.file().toString(),
                student.get().preset,
                width.get(),
                null,
                null,
                temperature.get(),
                alpha.get(),
                epochs.get(),
                null,
                seeds.get(),
                compare.get(),
                h == null ? null : h.name(),
                g == null ? null : g.name(),
                hintEpochs.get());
    }

    /** Checks the settings in the background with the engine's own checks; the sentence (or "") lands in {@link #problemProperty()}. */
    private void validate() {
        if (running.get()
                || prepared.current() == null
                || studentInfo == null
                || ws.session().isEmpty()) {
            return;
        }
        describeHeadless();
        try {
            check.submit(StepSpec.of(spec()));
        } catch (RuntimeException e) {
            problem.set(Errors.describe(e));
        }
    }

    /** Reads the sweep's widths as typed; the sentence for a bad list (or "") lands in {@link #sweepProblemProperty()}. */
    private void checkWidths() {
        try {
            Widths.parse(sweepWidths.get());
            sweepProblem.set("");
        } catch (RuntimeException e) {
            sweepProblem.set(Errors.describe(e));
        }
    }

    /**
     * The equivalent {@code keiryo distill} command lines, on the teacher's model file: this
     * distillation, and the width sweep (one run per width). Empty until there is a teacher.
     */
    private void describeHeadless() {
        Session s = ws.session().orElse(null);
        TeacherInfo t = prepared.current();
        Path file = t == null || s == null
                ? null
                : t.choice().file() != null
                        ? t.choice().file()
                        : ws.variants().stream()
                                .filter(v -> v.id().equals(t.choice().variant()))
                                .findFirst()
                                .map(v -> s.runDir().resolve(v.modelFile()))
                                .orElse(null);
        DistillStepSpec d;
        try {
            d = file == null ? null : spec();
        } catch (RuntimeException e) {
            d = null;
        }
        if (d == null) {
            headless.set("");
            return;
        }
        Experiment e = s.experiment();
        StringBuilder sb = new StringBuilder(
                        "# this distillation in a run of its own, from the teacher's model file:\n")
                .append(HeadlessCommand.forDistill(file, d, e));
        try {
            List<Double> widths = Widths.parse(sweepWidths.get());
            sb.append("\n# the student-width sweep, one run per width:\n")
                    .append(HeadlessCommand.forDistillSweep(file, sweepStep(d, widths.get(0)), widths, e));
        } catch (RuntimeException bad) {
            // The widths field shows why; the single command still holds.
        }
        headless.set(sb.toString());
    }

    /** Trains the students as one step of the session's run; each finished student becomes a variant. */
    public void start() {
        Session s = ws.session().orElse(null);
        if (running.get()) {
            return;
        }
        DistillStepSpec spec;
        try {
            spec = spec(s);
        } catch (RuntimeException e) {
            problem.set(Errors.describe(e));
            ws.status().error(problem.get());
            return;
        }
        CancellationToken token =
                begin(s, spec, "Starting: checking the settings and caching the teacher's outputs...");
        ws.tasks()
                .run(
                        "distill",
                        () -> {
                            List<Variant> added =
                                    s.apply(StepSpec.of(spec), e -> drain.offer(new Tagged(e, null, 0, 1)), token);
                            return new Outcome(added, s.variants());
                        },
                        outcome -> ended(s, outcome, token, "student"),
                        e -> failed(e));
    }

    /**
     * Distils one KD student per width of {@link #sweepWidthsProperty()}, with this tab's teacher,
     * student, T, alpha, epochs, seeds and hint layers (no scratch comparison), each as one step of
     * the session's run. Every width is checked before the first trains; each finished student is on
     * the Variants tab and the trade-off chart as soon as its step ends. Stop keeps the finished ones.
     */
    public void sweep() {
        Session s = ws.session().orElse(null);
        if (running.get()) {
            return;
        }
        DistillStepSpec base;
        List<Double> widths;
        try {
            base = spec(s);
            widths = Widths.parse(sweepWidths.get());
        } catch (RuntimeException e) {
            ws.status().error(Errors.describe(e));
            return;
        }
        List<DistillStepSpec> steps =
                widths.stream().map(w -> sweepStep(base, w)).toList();
        CancellationToken token =
                begin(s, steps.get(0), "Sweep of " + widths.size() + " widths: checking every width first...");
        ws.tasks()
                .run(
                        "distillation sweep",
                        () -> {
                            for (DistillStepSpec step : steps) {
                                s.check(StepSpec.of(step));
                            }
                            List<Variant> added = new ArrayList<>();
                            for (int i = 0; i < steps.size() && !token.isCancelled(); i++) {
                                int item = i;
                                double w = widths.get(i);
                                List<Variant> made = s.apply(
                                        StepSpec.of(steps.get(i)),
                                        e -> drain.offer(new Tagged(e, w, item, steps.size())),
                                        token);
                                added.addAll(made);
                                ws.tasks().ui(() -> addFinished(s, made));
                            }
                            return new Outcome(added, s.variants());
                        },
                        outcome -> ended(s, outcome, token, "sweep student"),
                        e -> failed(e));
    }

    /** A sweep's step for one width: KD (hints+KD with hint layers) only, the tab's other settings as they are. */
    static DistillStepSpec sweepStep(DistillStepSpec d, double width) {
        return new DistillStepSpec(
                d.from(),
                d.teacher(),
                d.student(),
                width,
                d.hidden(),
                d.dropout(),
                d.temperature(),
                d.alpha(),
                d.epochs(),
                d.learningRate(),
                d.seeds(),
                false,
                d.hintLayer(),
                d.guidedLayer(),
                d.hintEpochs());
    }

    private DistillStepSpec spec(Session s) {
        if (s == null) {
            throw new dev.keiryo.engine.KeiryoException("Nothing to distil from yet: train a model or open one first.");
        }
        return spec();
    }

    private CancellationToken begin(Session s, DistillStepSpec first, String what) {
        CancellationToken token = new CancellationToken();
        cancel = token;
        runningSpec = first;
        current = null;
        clearCharts();
        running.set(true);
        progress.set(0);
        ws.status().busy(progress);
        message.set(what);
        ws.status().info(message.get());
        drain.start();
        runningSession = s;
        return token;
    }

    private void ended(Session s, Outcome outcome, CancellationToken token, String what) {
        finish();
        List<Variant> added = outcome.added();
        if (ws.openedRunProperty().get() == null && ws.session().orElse(null) == s) {
            ws.variants().setAll(outcome.all());
        } else {
            ws.added(added);
        }
        message.set((token.isCancelled() ? "Stopped: " : "Done: ") + added.size() + " " + what + " variant(s) added"
                + (added.isEmpty()
                        ? "."
                        : " ("
                                + String.join(
                                        ", ", added.stream().map(Variant::id).toList())
                                + "), on the Variants tab with their lineage."));
        ws.status().info(message.get());
    }

    private void failed(Throwable e) {
        finish();
        problem.set(Errors.describe(e));
        message.set("Distillation did not run: " + problem.get());
        ws.status().error(problem.get());
    }

    private record Outcome(List<Variant> added, List<Variant> all) {}

    /** A sweep step's students, on the Variants tab (and the trade-off chart) unless already shown. */
    private void addFinished(Session s, List<Variant> made) {
        if (ws.session().orElse(null) != s || ws.openedRunProperty().get() != null) {
            return;
        }
        made.stream()
                .filter(v -> ws.variants().stream().noneMatch(w -> w.id().equals(v.id())))
                .forEach(ws.variants()::add);
    }

    /**
     * Shows a finished student on the Variants tab while the comparison goes on: read from the run's
     * variants.json (written atomically as each variant is added), since the session itself is busy.
     * The step's end brings the definitive list either way.
     */
    private void showFinished(String id) {
        Session s = runningSession;
        if (s == null || id == null || ws.openedRunProperty().get() != null) {
            return;
        }
        ws.tasks()
                .run(
                        "read finished student",
                        () -> VariantStore.read(ws.runs().open(s.runDir())).stream()
                                .filter(v -> v.id().equals(id))
                                .findFirst()
                                .orElse(null),
                        v -> {
                            if (v != null
                                    && running.get()
                                    && ws.session().orElse(null) == s
                                    && ws.openedRunProperty().get() == null
                                    && ws.variants().stream().noneMatch(w -> w.id().equals(id))) {
                                ws.variants().add(v);
                            }
                        },
                        e -> {});
    }

    private void finish() {
        drain.stop();
        running.set(false);
        ws.status().busy(false);
        cancel = null;
        runningSession = null;
        progress.set(1);
    }

    /** Stops after the current minibatch; students finished before are kept as variants (a sweep ends there too). */
    public void stop() {
        CancellationToken t = cancel;
        if (t != null) {
            t.cancel();
            message.set("Stopping after the current minibatch...");
            ws.status().info(message.get());
        }
    }

    private void clearCharts() {
        curves.values().forEach(XYSeriesCollection::removeAllSeries);
        sweepCurves.removeAllSeries();
        teacherLine.removeAllSeries();
        hintLoss.removeAllSeries();
        series.clear();
        results.clear();
        sweepResults.clear();
        summary.set("");
    }

    private void show(List<Tagged> batch) {
        Set<XYSeries> changed = new LinkedHashSet<>();
        for (Tagged t : batch) {
            TrainingEvent e = t.event();
            if (e instanceof TrainingEvent.Student st) {
                student(st, t);
            } else if (e instanceof TrainingEvent.Iteration it && current != null) {
                double x = it.epoch() - 1 + (double) it.batchInEpoch() / it.batchesPerEpoch();
                if (TrainingEvent.Student.HINT.equals(current.stage())) {
                    XYSeries hint = series(hintLoss, "hint", current, t.width());
                    hint.add(x, it.loss(), false);
                    changed.add(hint);
                }
                double done = x + (TrainingEvent.Student.TRAIN.equals(current.stage()) ? hintEpochsOf(current) : 0);
                progress.set(overall(
                        t, Math.min(1, (current.student() - 1 + done / epochsOf(current)) / current.students())));
            } else if (e instanceof TrainingEvent.Epoch ep
                    && current != null
                    && TrainingEvent.Student.TRAIN.equals(current.stage())
                    && Double.isFinite(ep.validationAccuracy())) {
                XYSeriesCollection into = t.width() == null ? curves.get(mode(current)) : sweepCurves;
                XYSeries curve = series(into, "curve", current, t.width());
                curve.add(ep.epoch(), ep.validationAccuracy(), false);
                changed.add(curve);
            } else if (e instanceof TrainingEvent.Message m) {
                message.set(prefix(t) + m.text());
            }
        }
        // Each notification redraws a whole chart on the UI thread: only the series that moved.
        changed.forEach(XYSeries::fireSeriesChanged);
    }

    /** The progress of the whole run (a sweep's steps in turn) from the progress within one step. */
    private static double overall(Tagged t, double withinStep) {
        return (t.item() + withinStep) / t.items();
    }

    private static String prefix(Tagged t) {
        return t.width() == null
                ? ""
                : String.format(Locale.ROOT, "Width x%s (%d of %d): ", num(t.width()), t.item() + 1, t.items());
    }

    private void student(TrainingEvent.Student st, Tagged t) {
        current = st;
        if (teacherLine.getSeriesCount() == 0 && Double.isFinite(st.teacherAccuracy())) {
            XYSeries line = new XYSeries(String.format(Locale.ROOT, "teacher (test) %.4f", st.teacherAccuracy()));
            line.add(1, st.teacherAccuracy());
            line.add(Math.max(2, runningSpec.epochs()), st.teacherAccuracy());
            teacherLine.addSeries(line);
        }
        String who = prefix(t)
                + String.format(
                        Locale.ROOT,
                        "Student %d of %d: %s, seed %d",
                        st.student(),
                        st.students(),
                        st.mode(),
                        st.seed());
        switch (st.stage()) {
            case TrainingEvent.Student.HINT ->
                message.set(who + ": stage 1, hint training (" + st.epochs() + " epoch(s))...");
            case TrainingEvent.Student.TRAIN ->
                message.set(who
                        + (mode(st) == DistillMode.SCRATCH
                                ? ": labels only ("
                                : mode(st) == DistillMode.HINTS_KD ? ": stage 2, KD (" : ": KD (")
                        + st.epochs() + " epoch(s))...");
            default -> {
                if (t.width() == null) {
                    results.computeIfAbsent(mode(st), m -> new ArrayList<>()).add(st.testAccuracy());
                    summary.set(summaryText());
                } else {
                    sweepResults
                            .computeIfAbsent(t.width(), w -> new ArrayList<>())
                            .add(st.testAccuracy());
                    summary.set(sweepSummaryText());
                }
                message.set(String.format(
                        Locale.ROOT, "%s -> %s, test accuracy %.4f", who, st.variant(), st.testAccuracy()));
                progress.set(overall(t, (double) st.student() / st.students()));
                showFinished(st.variant());
            }
        }
    }

    private static DistillMode mode(TrainingEvent.Student st) {
        for (DistillMode m : DistillMode.values()) {
            if (m.id().equals(st.mode())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown distillation mode " + st.mode());
    }

    private int hintEpochsOf(TrainingEvent.Student st) {
        return mode(st) == DistillMode.HINTS_KD ? runningSpec.hintEpochs() : 0;
    }

    private int epochsOf(TrainingEvent.Student st) {
        return Math.max(1, hintEpochsOf(st) + runningSpec.epochs());
    }

    private XYSeries series(XYSeriesCollection into, String kind, TrainingEvent.Student st, Double width) {
        String key = kind + "/" + width + "/" + st.mode() + "/" + st.seed();
        return series.computeIfAbsent(key, k -> {
            XYSeries s = new XYSeries(
                    (width == null ? "" : "x" + num(width) + " ")
                            + st.mode()
                            + (runningSpec.seedCount() > 1 ? ", seed " + st.seed() : "")
                            + ("hint".equals(kind) ? " (hint stage, L2)" : ""),
                    false,
                    true);
            into.addSeries(s);
            return s;
        });
    }

    /** A sweep's test accuracy per width: the mean over its seeds finished so far. */
    String sweepSummaryText() {
        List<String> parts = new ArrayList<>();
        sweepResults.forEach((w, acc) -> parts.add(String.format(
                Locale.ROOT, "x%s %.4f%s", num(w), mean(acc), acc.size() > 1 ? " (mean of " + acc.size() + ")" : "")));
        return "Test accuracy by student width: " + String.join(" | ", parts);
    }

    /** Test accuracy per mode: the mean over the seeds finished so far, and its difference to scratch. */
    String summaryText() {
        List<Double> scratch = results.get(DistillMode.SCRATCH);
        double base = scratch == null ? Double.NaN : mean(scratch);
        List<String> parts = new ArrayList<>();
        results.forEach((m, acc) -> parts.add(String.format(
                Locale.ROOT,
                "%s %.4f%s%s",
                m.id(),
                mean(acc),
                acc.size() > 1 ? " (mean of " + acc.size() + ")" : "",
                m == DistillMode.SCRATCH || Double.isNaN(base)
                        ? ""
                        : String.format(Locale.ROOT, ", %+.4f vs scratch", mean(acc) - base))));
        return "Test accuracy: " + String.join(" | ", parts);
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** The student widths of a sweep, as typed: numbers in (0, 1] separated by commas. */
    public StringProperty sweepWidthsProperty() {
        return sweepWidths;
    }

    /** Why the typed widths cannot be swept; empty when they can. */
    public StringProperty sweepProblemProperty() {
        return sweepProblem;
    }

    /** The {@code keiryo distill} command lines that do this tab's distillation and sweep headless. */
    public StringProperty headlessProperty() {
        return headless;
    }

    /** A sweep's per-epoch curves: one series per width (and seed). */
    public XYSeriesCollection sweepCurves() {
        return sweepCurves;
    }

    public ObservableList<TeacherChoice> teachers() {
        return teachers;
    }

    public ObjectProperty<TeacherChoice> teacherProperty() {
        return teacher;
    }

    public ObjectProperty<StudentKind> studentProperty() {
        return student;
    }

    public DoubleProperty widthProperty() {
        return width;
    }

    public DoubleProperty temperatureProperty() {
        return temperature;
    }

    public DoubleProperty alphaProperty() {
        return alpha;
    }

    public ObservableList<LayerChoice> hintLayers() {
        return hintLayers;
    }

    public ObservableList<LayerChoice> guidedLayers() {
        return guidedLayers;
    }

    public ObjectProperty<LayerChoice> hintLayerProperty() {
        return hintLayer;
    }

    public ObjectProperty<LayerChoice> guidedLayerProperty() {
        return guidedLayer;
    }

    public IntegerProperty epochsProperty() {
        return epochs;
    }

    public IntegerProperty hintEpochsProperty() {
        return hintEpochs;
    }

    public IntegerProperty seedsProperty() {
        return seeds;
    }

    public BooleanProperty compareProperty() {
        return compare;
    }

    public StringProperty teacherTextProperty() {
        return teacherText;
    }

    public StringProperty studentTextProperty() {
        return studentText;
    }

    /** Why the settings cannot run, as the engine says it; empty when they can. */
    public StringProperty problemProperty() {
        return problem;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public StringProperty summaryProperty() {
        return summary;
    }

    /** Which split the per-epoch curves are measured on: "validation", or "test" without one. */
    public StringProperty curveSetProperty() {
        return curveSet;
    }

    public BooleanProperty runningProperty() {
        return running;
    }

    /** True once the teacher is loaded. */
    public ReadOnlyBooleanProperty readyProperty() {
        return prepared.readyProperty();
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    /** The per-epoch curves of one mode's students (one series per seed). */
    public XYSeriesCollection curves(DistillMode m) {
        return curves.get(m);
    }

    /** The teacher's test accuracy as a horizontal line over the students' epochs. */
    public XYSeriesCollection teacherLine() {
        return teacherLine;
    }

    /** The hint stage's L2 loss per minibatch (one series per seed). */
    public XYSeriesCollection hintLoss() {
        return hintLoss;
    }
}
