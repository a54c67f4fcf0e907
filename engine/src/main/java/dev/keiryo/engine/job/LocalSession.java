package dev.keiryo.engine.job;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.PrunePreviewer;
import dev.keiryo.engine.api.compress.QuantPreviewer;
import dev.keiryo.engine.api.engine.DataShape;
import dev.keiryo.engine.api.engine.ModelInspection;
import dev.keiryo.engine.api.engine.Session;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.StepSpec;
import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.RunResult;
import dev.keiryo.engine.api.run.TrainingListener;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.experiment.RunStore;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.NetworkInspection;
import dev.keiryo.engine.report.LearningCurves;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The engine's {@link Session}: trains (or loads) once exactly like {@code keiryo train}, then
 * applies steps one at a time, each adding variants to the same run folder. Every applied step is
 * appended to the run's experiment.yaml, so {@code keiryo train <run>/experiment.yaml} replays the
 * whole session headless. Thread-safe: calls are serialized, and callers run them off any UI thread.
 */
public final class LocalSession implements Session {
    private final RunResult trained;
    private final StepContext ctx;
    // Volatile, not guarded: a UI must be able to read it while a long step holds the session.
    private volatile Experiment experiment;

    private LocalSession(RunResult trained, StepContext ctx) {
        this.trained = trained;
        this.ctx = ctx;
        this.experiment = ctx == null ? null : ctx.experiment;
    }

    /**
     * Runs {@code experiment} (its own steps included) into a new run folder. When training was
     * cancelled or diverged the session is not {@link #open()}: it has a run folder that says so
     * and no variants.
     */
    public static LocalSession start(
            RunStore store, Experiment experiment, TrainingListener listener, CancellationToken cancel) {
        AtomicReference<StepContext> kept = new AtomicReference<>();
        RunResult r =
                new TrainJob(store, listener, cancel).afterSteps(kept::set).run(experiment);
        return new LocalSession(r, kept.get());
    }

    /** Continues a cancelled or killed run from its last checkpoint, in its own folder, as {@code keiryo train --resume}. */
    public static LocalSession resume(
            RunStore store, Path runDir, TrainingListener listener, CancellationToken cancel) {
        AtomicReference<StepContext> kept = new AtomicReference<>();
        RunResult r =
                new TrainJob(store, listener, cancel).afterSteps(kept::set).resume(runDir);
        return new LocalSession(r, kept.get());
    }

    /** The training job's own result (test accuracy, latency, layer table, the variants it made). */
    @Override
    public RunResult trained() {
        return trained;
    }

    /** True when there is a trained or loaded model to apply steps to. */
    @Override
    public boolean open() {
        return ctx != null;
    }

    @Override
    public Path runDir() {
        return trained.runDir();
    }

    /** The experiment as run so far: the original one plus every step applied since; never waits for a running step. */
    @Override
    public Experiment experiment() {
        return experiment;
    }

    @Override
    public synchronized List<Variant> variants() {
        return ctx == null ? List.of() : ctx.variants.variants();
    }

    /** The model of a variant, from memory or its packed file; callers must not train it. */
    public synchronized KeiryoModel model(String variantId) {
        return ctx().model(ctx().variant(variantId));
    }

    /** A variant's model to look at (layer table, weight histograms); callers must not train it. */
    @Override
    public synchronized ModelInspection inspect(String variantId) {
        return NetworkInspection.of(model(variantId));
    }

    /**
     * Data for previews, which guide the user's choices: the validation split, or without one a
     * seeded part of the training set; never the test set.
     */
    public Dataset previewData() {
        return ctx().data.choices();
    }

    @Override
    public DataShape data() {
        Dataset d = previewData();
        List<String> names = new ArrayList<>();
        for (int k = 0; k < d.numClasses(); k++) {
            names.add(d.className(k));
        }
        return new DataShape(d.channels(), d.height(), d.width(), names, d.size());
    }

    // Not synchronized beyond model(): building a preview copies the network, which need not wait for a running step.
    @Override
    public PrunePreviewer prunePreviewer(String variantId, int examples) {
        return new SessionPrunePreviewer(model(variantId), previewData(), examples);
    }

    @Override
    public QuantPreviewer quantPreviewer(String variantId, int examples) {
        return new SessionQuantPreviewer(model(variantId), previewData(), examples);
    }

    /** The test set every variant is measured on. */
    public Dataset testData() {
        return ctx().data.test();
    }

    /**
     * Applies one step (prune, quantize, prune table, sensitivity or distill) and returns the variants it
     * added. The step is checked against its starting model first, so bad settings change nothing.
     * Cancelling stops fine-tuning early; the variant is then kept with the fine-tuning it had. A
     * distillation stops after the current student's minibatch and keeps the students finished before.
     */
    @Override
    public synchronized List<Variant> apply(StepSpec step, TrainingListener listener, CancellationToken cancel) {
        StepContext c = ctx().rebind(
                        new RunRecorder(
                                ctx().run.metrics(),
                                new LearningCurves(),
                                listener == null ? TrainingListener.NONE : listener),
                        cancel == null ? new CancellationToken() : cancel);
        check(c, step);
        int before = c.variants.variants().size();
        List<StepSpec> steps = new ArrayList<>(experiment.steps());
        steps.add(step);
        Experiment next = experiment.withSteps(steps);
        // Recorded before it runs, while the progress file still counts it as not done: a process killed
        // during the step leaves a run whose resume makes the step again, never variants no step explains.
        c.run.writeExperiment(next);
        try {
            Steps.run(c, List.of(step));
        } catch (RuntimeException | Error e) {
            try {
                c.run.writeExperiment(experiment);
            } catch (RuntimeException recording) {
                // A full disk can refuse this too; the step's failure is the one to report.
                e.addSuppressed(recording);
            }
            throw e;
        }
        List<Variant> all = c.variants.variants();
        List<Variant> added = new ArrayList<>(all.subList(before, all.size()));
        if (added.isEmpty() && c.cancel.isCancelled()) {
            // Stopped before it made anything (e.g. a distillation stopped during its first student): nothing to
            // replay.
            c.run.writeExperiment(experiment);
            c.run.close();
            return added;
        }
        experiment = next;
        // Applied steps count as finished, so resuming this run does not redo them.
        new RunProgress(
                        trained.training(),
                        experiment.steps().size(),
                        c.latest().id())
                .write(c.run);
        RunResult now = new RunResult(
                trained.runDir(),
                trained.training(),
                trained.test(),
                trained.latency(),
                trained.model(),
                trained.modelFile(),
                trained.data(),
                all);
        c.run.writeJson("summary.json", Summary.of(now, c.data.test().classNames()));
        c.run.close();
        return added;
    }

    /**
     * Checks a step against this session's models and data exactly as {@link #apply} does before any
     * work: bad settings (an unknown layer, a distillation temperature of 0, hint layers no regressor
     * can map, a teacher for other classes, ...) throw a KeiryoException whose sentence says why.
     */
    @Override
    public synchronized void check(StepSpec step) {
        check(ctx(), step);
    }

    private static void check(StepContext c, StepSpec step) {
        if (step.distill() != null) {
            DistillStep.check(c, step.distill());
            return;
        }
        String from = step.prune() != null
                ? step.prune().from()
                : step.quantize() != null ? step.quantize().from() : null;
        Steps.check(c.model(c.variant(from)).net(), List.of(step));
    }

    private StepContext ctx() {
        if (ctx == null) {
            throw new KeiryoException("this session has no model to work on: its training in " + trained.runDir()
                    + " did not complete; train again.");
        }
        return ctx;
    }
}
