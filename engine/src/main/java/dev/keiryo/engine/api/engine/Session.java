package dev.keiryo.engine.api.engine;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.PrunePreviewer;
import dev.keiryo.engine.api.compress.QuantPreviewer;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.StepSpec;
import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.RunResult;
import dev.keiryo.engine.api.run.TrainingListener;
import dev.keiryo.engine.api.run.Variant;
import java.nio.file.Path;
import java.util.List;

/**
 * An interactive run, as the workbench drives it ({@link Engine#start}): trained (or loaded) once
 * exactly like {@code keiryo train}, then steps applied one at a time, each adding variants to the
 * same run folder and to its experiment.yaml, so that the file replays the whole session headless.
 * Thread-safe: calls are serialized, and callers make them off any UI thread.
 */
public interface Session {

    /** The training job's own result (test accuracy, latency, layer table, the variants it made). */
    RunResult trained();

    /** True when there is a trained or loaded model to apply steps to; else the other calls throw. */
    boolean open();

    Path runDir();

    /** The experiment as run so far: the original one plus every step applied since; never waits for a running step. */
    Experiment experiment();

    List<Variant> variants();

    /** A variant's model to look at (layer table, weight histograms). */
    ModelInspection inspect(String variantId);

    /** The shape of the session's data, and how many examples previews and choices are measured on. */
    DataShape data();

    /**
     * Applies one step (prune, quantize, prune table, sensitivity or distill) and returns the
     * variants it added. The step is checked first, so bad settings change nothing. Cancelling stops
     * fine-tuning early; the variant is then kept with the fine-tuning it had. A distillation stops
     * after the current student's minibatch and keeps the students finished before.
     *
     * @param listener may be null
     * @param cancel may be null
     */
    List<Variant> apply(StepSpec step, TrainingListener listener, CancellationToken cancel);

    /**
     * Checks a step against this session's models and data exactly as {@link #apply} does before
     * any work.
     *
     * @throws KeiryoException whose sentence says what is wrong (an unknown layer, a distillation
     *     temperature of 0, a teacher for other classes, ...)
     */
    void check(StepSpec step);

    /**
     * Previews pruning settings on variant {@code variantId}, measured on at most {@code examples}
     * of the examples choices are made on (never the test set); close it when done.
     */
    PrunePreviewer prunePreviewer(String variantId, int examples);

    /** Previews quantization settings on variant {@code variantId}, like {@link #prunePreviewer}. */
    QuantPreviewer quantPreviewer(String variantId, int examples);
}
