package dev.keiryo.app.distill;

import dev.keiryo.app.concurrent.Drain;
import dev.keiryo.app.distill.DistillCurves.Tagged;
import dev.keiryo.app.experiments.HeadlessCommand;
import dev.keiryo.app.workspace.Errors;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.engine.Session;
import dev.keiryo.engine.api.experiment.DistillStepSpec;
import dev.keiryo.engine.api.experiment.StepSpec;
import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.Variant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The runner: starts and stops a distillation or a student-width sweep as steps of the session's
 * run, feeds their events to the {@link DistillCurves} through a {@link Drain}, and puts each
 * finished student on the Variants tab. It also writes the equivalent {@code keiryo distill} lines.
 */
final class DistillRunner {
    private record Outcome(List<Variant> added, List<Variant> all) {}

    private final Workspace ws;
    private final Supplier<DistillStepSpec> spec;
    private final Supplier<Path> teacherFile;
    private final StringProperty problem;
    private final BooleanProperty running = new SimpleBooleanProperty();
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty message = new SimpleStringProperty("Choose a teacher and a student, then Start.");
    private final StringProperty sweepWidths = new SimpleStringProperty(Widths.EXAMPLE);
    private final StringProperty sweepProblem = new SimpleStringProperty("");
    private final StringProperty headless = new SimpleStringProperty("");
    private final DistillCurves curves;
    private final Drain<Tagged> drain;
    private volatile CancellationToken cancel;
    private Session runningSession;

    /**
     * @param spec the step the settings describe; throws for settings that cannot even be expressed
     * @param teacherFile the teacher's model file, or null while there is none
     * @param problem where the reason a run did not start goes
     */
    DistillRunner(Workspace ws, Supplier<DistillStepSpec> spec, Supplier<Path> teacherFile, StringProperty problem) {
        this.ws = ws;
        this.spec = spec;
        this.teacherFile = teacherFile;
        this.problem = problem;
        curves = new DistillCurves(message, progress, this::showFinished);
        drain = new Drain<>(ws.tasks(), 200, curves::show);
        sweepWidths.addListener((o, a, b) -> {
            checkWidths();
            describeHeadless();
        });
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
    void describeHeadless() {
        Session s = ws.session().orElse(null);
        Path file = teacherFile.get();
        DistillStepSpec d;
        try {
            d = file == null || s == null ? null : spec.get();
        } catch (RuntimeException e) {
            d = null;
        }
        if (d == null) {
            headless.set("");
            return;
        }
        StringBuilder sb = new StringBuilder(
                        "# this distillation in a run of its own, from the teacher's model file:\n")
                .append(HeadlessCommand.forDistill(file, d, s.experiment()));
        try {
            List<Double> widths = Widths.parse(sweepWidths.get());
            sb.append("\n# the student-width sweep, one run per width:\n")
                    .append(HeadlessCommand.forDistillSweep(file, sweepStep(d, widths.get(0)), widths, s.experiment()));
        } catch (RuntimeException bad) {
            // The widths field shows why; the single command still holds.
        }
        headless.set(sb.toString());
    }

    /** Trains the students as one step of the session's run; each finished student becomes a variant. */
    void start() {
        Session s = ws.session().orElse(null);
        if (running.get()) {
            return;
        }
        DistillStepSpec step;
        try {
            step = spec(s);
        } catch (RuntimeException e) {
            problem.set(Errors.describe(e));
            ws.status().error(problem.get());
            return;
        }
        CancellationToken token =
                begin(s, step, "Starting: checking the settings and caching the teacher's outputs...");
        ws.tasks()
                .run(
                        "distill",
                        () -> {
                            List<Variant> added =
                                    s.apply(StepSpec.of(step), e -> drain.offer(new Tagged(e, null, 0, 1)), token);
                            return new Outcome(added, s.variants());
                        },
                        outcome -> ended(s, outcome, token, "student"),
                        e -> failed(e));
    }

    /**
     * Distils one KD student per width of {@link #sweepWidthsProperty()}, with the tab's teacher,
     * student, T, alpha, epochs, seeds and hint layers (no scratch comparison), each as one step of
     * the session's run. Every width is checked before the first trains; each finished student is on
     * the Variants tab and the trade-off chart as soon as its step ends. Stop keeps the finished ones.
     */
    void sweep() {
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
        return d.toBuilder().width(width).compare(false).build();
    }

    private DistillStepSpec spec(Session s) {
        if (s == null) {
            throw new dev.keiryo.engine.api.KeiryoException(
                    "Nothing to distil from yet: train a model or open one first.");
        }
        return spec.get();
    }

    private CancellationToken begin(Session s, DistillStepSpec first, String what) {
        CancellationToken token = new CancellationToken();
        cancel = token;
        curves.clear(first);
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
                        () -> Engine.local().openRun(s.runDir()).variants().stream()
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
    void stop() {
        CancellationToken t = cancel;
        if (t != null) {
            t.cancel();
            message.set("Stopping after the current minibatch...");
            ws.status().info(message.get());
        }
    }

    /**
     * Forgets the last run's curves, summary and message when the session changes: they describe
     * students of a model that is no longer the session's, whose variant ids are gone or reused.
     */
    void forgetRun() {
        if (running.get()) {
            return;
        }
        curves.clear(null);
        progress.set(0);
        message.set("");
    }

    /** Forgets the command lines, as while another teacher loads. */
    void clearHeadless() {
        headless.set("");
    }

    DistillCurves curves() {
        return curves;
    }

    BooleanProperty runningProperty() {
        return running;
    }

    DoubleProperty progressProperty() {
        return progress;
    }

    StringProperty messageProperty() {
        return message;
    }

    StringProperty sweepWidthsProperty() {
        return sweepWidths;
    }

    StringProperty sweepProblemProperty() {
        return sweepProblem;
    }

    StringProperty headlessProperty() {
        return headless;
    }
}
