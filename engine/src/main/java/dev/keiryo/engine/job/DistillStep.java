package dev.keiryo.engine.job;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.DistillMode;
import dev.keiryo.engine.api.experiment.DistillStepSpec;
import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.compress.distill.Distiller;
import dev.keiryo.engine.compress.distill.StudentRun;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.eval.Evaluator;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.train.TrainSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Distils students from a frozen teacher: per seed, each mode (scratch, KD, hints+KD) from the same
 * initial weights and data order; every student becomes a variant (KD students with the teacher as
 * parent), and the step writes the comparison's CSVs and chart.
 */
final class DistillStep {
    private DistillStep() {}

    /**
     * Rejects bad settings before the run folder exists; {@code start} is the model the run begins
     * with. A teacher variant that prune, quantize or comparison steps make has start's input,
     * classes and layers (only sizes and values differ), so start stands in for it; after a distill
     * step ({@code afterStudents}) a variant other than v0 may be a student of another architecture,
     * checked when this step runs.
     */
    static void check(KeiryoModel start, JobData data, TrainSettings base, DistillStepSpec s, boolean afterStudents) {
        if (s.teacher() == null && afterStudents && !"v0".equals(s.from())) {
            return;
        }
        KeiryoModel teacher = s.teacher() != null ? loadTeacher(s.teacher()) : start;
        DistillSetup.resolve(teacher, data.train(), data.normalization(), s)
                .checkModels(data.train(), settings(base, s));
    }

    /** Checks a step applied in a session against the teacher it names (a variant of the run, or a file). */
    static void check(StepContext ctx, DistillStepSpec s) {
        KeiryoModel teacher = s.teacher() != null ? loadTeacher(s.teacher()) : ctx.model(ctx.variant(s.from()));
        DistillSetup.resolve(teacher, ctx.data.train(), ctx.data.normalization(), s)
                .checkModels(ctx.data.train(), settings(ctx.settings, s));
    }

    static void run(StepContext ctx, DistillStepSpec s) {
        Variant parent = s.teacher() == null ? ctx.variant(s.from()) : null;
        KeiryoModel teacherModel = parent != null ? ctx.model(parent) : loadTeacher(s.teacher());
        Dataset train = ctx.data.train();
        DistillSetup setup = DistillSetup.resolve(teacherModel, train, ctx.data.normalization(), s);
        TrainSettings base = settings(ctx.settings, s);
        boolean studentImage = setup.student().preset().convolutional();
        // The curves guide the choice of epochs, temperature and alpha, so they never read the test set.
        Dataset curveSet = ctx.choiceData("the distillation curves are measured");
        String curveName = ctx.data.choicesName();
        ArrayDataSetIterator curveIt = ArrayDataSetIterator.builder(curveSet)
                .normalization(setup.normalization())
                .batchSize(512)
                .shuffle(false)
                .imageShaped(studentImage)
                .build();
        DistillProgress progress = new DistillProgress(
                ctx.listener, setup.settings(), setup.modes().size() * setup.seeds());
        Distiller distiller = setup.distiller(train, base, n -> Evaluator.evaluate(n, curveIt), progress, ctx.cancel);
        long teacherParams = teacherModel.net().numParams();
        double teacherAcc = parent != null
                ? parent.metrics().accuracy()
                : Evaluator.evaluate(
                                teacherModel.net(),
                                ArrayDataSetIterator.builder(ctx.data.test())
                                        .normalization(setup.normalization())
                                        .batchSize(512)
                                        .shuffle(false)
                                        .imageShaped(setup.teacher().imageShaped())
                                        .build())
                        .accuracy();
        progress.teacherAccuracy(teacherAcc);
        long studentParams = distiller.student(setup.student(), base.seed()).numParams();
        String student = setup.student().preset().id() + " x" + setup.student().width();
        ctx.listener.onEvent(new TrainingEvent.Message(
                0,
                String.format(
                        Locale.ROOT,
                        "distill: teacher %s (%,d parameters, test accuracy %.4f) -> student %s (%,d parameters, %.1f%% of the teacher);"
                                + " %s x %d seed(s), %d epoch(s) each",
                        parent != null ? parent.id() : s.teacher(),
                        teacherParams,
                        teacherAcc,
                        student,
                        studentParams,
                        100.0 * studentParams / teacherParams,
                        String.join(
                                ", ",
                                setup.modes().stream().map(DistillMode::id).toList()),
                        setup.seeds(),
                        s.epochs())));
        ModelMeta meta = setup.studentMeta(train);
        List<DistillReport.Row> rows = new ArrayList<>();
        for (int i = 0; i < setup.seeds() && !ctx.cancel.isCancelled(); i++) {
            long seed = ctx.experiment.seed() + i;
            for (DistillMode mode : setup.modes()) {
                progress.starts(mode, seed);
                StudentRun r = distiller.train(mode, setup.student(), seed);
                if (r.result().outcome() == TrainOutcome.CANCELLED) {
                    break;
                }
                if (r.result().outcome() == TrainOutcome.DIVERGED) {
                    throw new KeiryoException("distill: the " + mode.id() + " student (seed " + seed + ") diverged: "
                            + r.result().message());
                }
                Variant v = ctx.add(
                        new KeiryoModel(r.net(), meta),
                        mode.usesTeacher() ? parent : null,
                        "distill-" + mode.id(),
                        params(
                                s,
                                setup,
                                mode,
                                seed,
                                parent == null ? s.teacher() : parent.id(),
                                teacherParams,
                                studentParams));
                progress.done(v);
                rows.add(new DistillReport.Row(
                        mode,
                        seed,
                        v.id(),
                        v.metrics().accuracy(),
                        v.metrics().loss(),
                        v.metrics().parameters(),
                        r.curve(),
                        r.hintLosses()));
                ctx.listener.onEvent(new TrainingEvent.Message(
                        0,
                        String.format(
                                Locale.ROOT,
                                "%s: %s student, seed %d -> test accuracy %.4f%s",
                                v.id(),
                                mode.id(),
                                seed,
                                v.metrics().accuracy(),
                                r.hintLosses().isEmpty()
                                        ? ""
                                        : String.format(
                                                Locale.ROOT,
                                                " (hint loss %.4f -> %.4f)",
                                                r.hintLosses().get(0),
                                                r.hintLosses()
                                                        .get(r.hintLosses().size() - 1)))));
            }
        }
        if (!rows.isEmpty()) {
            String knobs =
                    String.format(Locale.ROOT, "T=%s, alpha=%s, %d epochs", s.temperature(), s.alpha(), s.epochs());
            DistillReport.write(ctx.run, rows, teacherAcc, teacherParams, student, knobs, curveName);
            summarize(ctx, rows, teacherAcc);
        }
    }

    private static void summarize(StepContext ctx, List<DistillReport.Row> rows, double teacherAcc) {
        List<DistillReport.Stats> stats = DistillReport.stats(rows);
        double scratch = stats.stream()
                .filter(x -> x.mode() == DistillMode.SCRATCH)
                .mapToDouble(DistillReport.Stats::mean)
                .findFirst()
                .orElse(Double.NaN);
        ctx.listener.onEvent(
                new TrainingEvent.Message(0, String.format(Locale.ROOT, "distill: teacher %.4f", teacherAcc)));
        for (DistillReport.Stats x : stats) {
            ctx.listener.onEvent(new TrainingEvent.Message(
                    0,
                    String.format(
                            Locale.ROOT,
                            "distill: %-8s mean %.4f  std %.4f  range %.4f..%.4f  (n=%d)%s",
                            x.mode().id(),
                            x.mean(),
                            x.std(),
                            x.min(),
                            x.max(),
                            x.runs(),
                            Double.isNaN(scratch) || x.mode() == DistillMode.SCRATCH
                                    ? ""
                                    : String.format(Locale.ROOT, "  %+.4f vs scratch", x.mean() - scratch))));
        }
    }

    private static Map<String, Object> params(
            DistillStepSpec s,
            DistillSetup setup,
            DistillMode mode,
            long seed,
            String teacher,
            long teacherParams,
            long studentParams) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode.id());
        m.put("seed", seed);
        m.put("teacher", teacher);
        m.put("student", setup.student().preset().id());
        m.put("width", setup.student().width());
        m.put("epochs", s.epochs());
        m.put("paramRatio", (double) studentParams / teacherParams);
        if (mode.usesTeacher()) {
            m.put("temperature", s.temperature());
            m.put("alpha", s.alpha());
        }
        if (mode == DistillMode.HINTS_KD) {
            m.put("hintLayer", s.hintLayer());
            m.put("guidedLayer", s.guidedLayer());
            m.put("hintEpochs", s.hintEpochs());
        }
        return m;
    }

    private static TrainSettings settings(TrainSettings base, DistillStepSpec s) {
        double lr = s.learningRate() != null ? s.learningRate() : base.learningRate();
        return new TrainSettings(
                base.optimizer(),
                lr,
                base.batchSize(),
                s.epochs(),
                base.dataType(),
                base.weightDecay(),
                0,
                0,
                base.seed(),
                base.lrSchedule());
    }

    private static KeiryoModel loadTeacher(String file) {
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
            throw new KeiryoException("distill: teacher model file " + file
                    + " does not exist; give the path of a model" + " written by Keiryo (.zip or .kpack).");
        }
        return ModelFiles.load(p);
    }
}
