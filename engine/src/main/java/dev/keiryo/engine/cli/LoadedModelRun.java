package dev.keiryo.engine.cli;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.StepSpec;
import dev.keiryo.engine.api.run.RunResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code prune}, {@code quantize} and {@code distill} share: run one step on a saved model, without training
 * it first, as an experiment with {@code model.load} and {@code train.epochs: 0}, in a new run folder.
 */
final class LoadedModelRun {
    private LoadedModelRun() {}

    static int run(
            PrintWriter out,
            Path model,
            ExperimentOptions overrides,
            String name,
            StepSpec step,
            Path runs,
            boolean json) {
        return run(out, model, overrides, name, step, runs, json, 1);
    }

    /** As above; {@code epochs} is how many epochs each training inside the step runs, for the progress display. */
    static int run(
            PrintWriter out,
            Path model,
            ExperimentOptions overrides,
            String name,
            StepSpec step,
            Path runs,
            boolean json,
            int epochs) {
        if (!Files.isRegularFile(model)) {
            throw new KeiryoException(
                    "model file " + model + " does not exist; give the path of a model written by Keiryo.");
        }
        if (overrides.epochs != null && overrides.epochs > 0) {
            throw new KeiryoException("--epochs would train the loaded model first; it is used as saved (to train after"
                    + " pruning, use prune's --fine-tune-epochs).");
        }
        Experiment d = Experiment.defaults();
        Experiment exp = overrides
                .apply(d.withName(name)
                        .withModel(d.model().withLoad(model.toString()))
                        .withTrain(d.train().withEpochs(0)))
                .withSteps(List.of(step))
                .validate("command line");
        try (Interrupts interrupts = new Interrupts()) {
            ProgressPrinter progress = new ProgressPrinter(out, ProgressPrinter.mode(json), epochs);
            RunResult r = Engine.local().train(runs, exp, progress, interrupts.token());
            return Results.report(out, r, json);
        }
    }
}
