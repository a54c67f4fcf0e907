package dev.keiryo.app.distill;

import dev.keiryo.app.concurrent.Latest;
import dev.keiryo.app.distill.DistillViewModel.StudentKind;
import dev.keiryo.app.distill.TeacherPicker.TeacherInfo;
import dev.keiryo.app.workspace.Errors;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.engine.DataShape;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.engine.ModelInspection;
import dev.keiryo.engine.api.engine.Session;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.model.LayerStats;
import dev.keiryo.engine.api.settings.Choice;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The student sizing: which student at which width, built in the background to say what it costs
 * against the teacher and which of its layers a hint can guide.
 */
final class StudentSizer {
    /** The student the settings describe and what it costs against the teacher. */
    record StudentInfo(TeacherInfo teacher, ModelSpec spec, long parameters, List<LayerStats> hidden) {}

    private record Request(TeacherInfo teacher, StudentKind kind, double width, DataShape data) {}

    private final Workspace ws;
    private final Supplier<TeacherInfo> teacher;
    private final ObjectProperty<StudentKind> kind = new SimpleObjectProperty<>(StudentKind.TEACHER_COPY);
    private final DoubleProperty width = new SimpleDoubleProperty(0.5);
    private final StringProperty text = new SimpleStringProperty("");
    private final Latest<Request, StudentInfo> describe;
    private volatile StudentInfo info;

    /**
     * @param teacher the loaded teacher, or null; a student sized for another one is dropped
     * @param ready runs on the UI thread with the student sized for the current teacher
     * @param failed runs on the UI thread when the student cannot be built (the text says why)
     */
    StudentSizer(Workspace ws, Supplier<TeacherInfo> teacher, Consumer<StudentInfo> ready, Runnable failed) {
        this.ws = ws;
        this.teacher = teacher;
        describe = new Latest<>(
                ws.tasks(),
                "describe student",
                StudentSizer::size,
                s -> {
                    if (isFor(s, teacher.get())) {
                        info = s;
                        text.set(describe(s));
                        ready.accept(s);
                    }
                },
                e -> {
                    info = null;
                    text.set(Errors.describe(e));
                    failed.run();
                });
        kind.addListener((o, a, b) -> request());
        width.addListener((o, a, b) -> request());
    }

    @SuppressWarnings("ReferenceEquality") // only the teacher still prepared, that very one, may show
    private static boolean isFor(StudentInfo s, TeacherInfo t) {
        return s.teacher() == t;
    }

    /** Sizes the student for the loaded teacher in the background; nothing without a teacher or session. */
    void request() {
        TeacherInfo t = teacher.get();
        Session s = ws.session().orElse(null);
        if (t == null || s == null) {
            return;
        }
        text.set("Sizing the student...");
        describe.submit(new Request(t, kind.get(), width.get(), s.data()));
    }

    /** Forgets the student, as when another teacher is chosen. */
    void clear() {
        info = null;
        text.set("");
    }

    private static StudentInfo size(Request r) {
        ModelSpec.Preset preset = r.kind().preset != null
                ? r.kind().preset
                : Choice.parse(ModelSpec.Preset.class, r.teacher().preset(), "the teacher's preset");
        ModelSpec spec = ModelSpec.defaults()
                .withPreset(preset)
                .withWidth(r.width())
                .withHidden(List.of())
                .withDropout(0);
        DataShape d = r.data();
        ModelInspection student = Engine.local().inspectPreset(spec, d.channels(), d.height(), d.width(), d.classes());
        return new StudentInfo(r.teacher(), spec, student.stats().parameters(), TeacherPicker.hidden(student));
    }

    private static String describe(StudentInfo s) {
        long t = s.teacher().parameters();
        // A width is the preset's, not the teacher's: a teacher trained thin can have a larger student.
        String ratio = s.parameters() <= t
                ? String.format(Locale.ROOT, "%.1fx fewer", (double) t / s.parameters())
                : String.format(Locale.ROOT, "%.1fx more", (double) s.parameters() / t);
        return String.format(
                Locale.ROOT,
                "%s x%s: %,d parameters, %.1f%% of the teacher's %,d (%s)",
                s.spec().preset().id(),
                Widths.text(s.spec().width()),
                s.parameters(),
                100.0 * s.parameters() / t,
                t,
                ratio);
    }

    /** The student sized for the current teacher, or null while there is none. */
    StudentInfo info() {
        return info;
    }

    ObjectProperty<StudentKind> kindProperty() {
        return kind;
    }

    DoubleProperty widthProperty() {
        return width;
    }

    StringProperty textProperty() {
        return text;
    }
}
