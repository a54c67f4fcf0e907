package dev.keiryo.engine.cli;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.PruneMode;
import dev.keiryo.engine.api.experiment.PruneStepSpec;
import dev.keiryo.engine.api.experiment.PruneTableSpec;
import dev.keiryo.engine.api.experiment.PruningSettings;
import dev.keiryo.engine.api.experiment.SensitivitySpec;
import dev.keiryo.engine.api.experiment.StepSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "prune",
        description = {
            "Prune a saved model into new variants: connections (single weights) or units",
            "(whole neurons/filters: the network really shrinks). With --table: the accuracy-vs-kept table and chart;",
            "with --sensitivity: per-layer sensitivity curves. Writes a run folder with every variant's packed file."
        })
final class PruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "A model file (runs/<run>/models/model.zip).")
    Path model;

    @Option(names = "--mode", required = true, descriptionKey = "prune.mode")
    String mode;

    @Option(names = "--sparsity", descriptionKey = "prune.sparsity")
    Double sparsity;

    @Option(names = "--threshold", descriptionKey = "prune.threshold")
    Double threshold;

    @Option(names = "--fraction", descriptionKey = "prune.fraction")
    Double fraction;

    @Option(names = "--layers", split = ",", paramLabel = "NAME=SHARE", descriptionKey = "prune.layers")
    Map<String, Double> layers;

    @Option(names = "--exclude", split = ",", paramLabel = "NAME", description = "connection: layers to leave alone.")
    List<String> exclude;

    @Option(names = "--scope", descriptionKey = "prune.scope")
    String scope;

    @Option(names = "--criterion", descriptionKey = "prune.criterion")
    String criterion;

    @Option(names = "--schedule", descriptionKey = "prune.schedule")
    String schedule;

    @Option(names = "--schedule-steps", descriptionKey = "prune.scheduleSteps")
    Integer scheduleSteps;

    @Option(names = "--fine-tune-epochs", descriptionKey = "prune.fineTuneEpochs")
    Integer fineTuneEpochs;

    @Option(names = "--fine-tune-lr", descriptionKey = "prune.fineTuneLearningRate")
    Double fineTuneLr;

    @Option(names = "--table", description = "Make the accuracy-vs-kept table at --levels instead of one variant.")
    boolean table;

    @Option(
            names = "--sensitivity",
            description = "Make per-layer sensitivity curves at --levels instead of a variant.")
    boolean sensitivity;

    @Option(names = "--levels", split = ",", descriptionKey = "pruneTable.levels")
    List<Double> levels;

    @ArgGroup(exclusive = false, heading = "Data and fine-tuning:%n")
    ExperimentOptions overrides = new ExperimentOptions();

    @Mixin
    RunOutput output = new RunOutput();

    @Override
    public Integer call() {
        PruneMode m = PruningSettings.MODE.parse(mode);
        if (sparsity != null) {
            PruningSettings.SPARSITY.require(sparsity);
        }
        if (fraction != null) {
            PruningSettings.FRACTION.require(fraction);
        }
        if (levels != null) {
            levels.forEach(PruningSettings.LEVEL::require);
        }
        if (table && sensitivity) {
            throw new KeiryoException("--table and --sensitivity are separate analyses; run them one at a time.");
        }
        StepSpec step = table
                ? StepSpec.of(new PruneTableSpec(
                        m,
                        levels == null ? defaultLevels() : levels,
                        criterion == null ? "l1" : criterion,
                        scope == null ? "global" : scope,
                        fineTuneEpochs == null ? 1 : fineTuneEpochs,
                        fineTuneLr))
                : sensitivity
                        ? StepSpec.of(new SensitivitySpec(
                                m,
                                levels == null ? List.of(0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95) : levels,
                                layers == null ? List.of() : List.copyOf(layers.keySet()),
                                criterion == null ? "l1" : criterion))
                        : StepSpec.of(new PruneStepSpec(
                                m,
                                scope == null ? "global" : scope,
                                sparsity,
                                threshold,
                                fraction,
                                layers == null ? Map.of() : layers,
                                exclude == null ? List.of() : exclude,
                                criterion == null ? "l1" : criterion,
                                schedule == null ? "oneshot" : schedule,
                                scheduleSteps == null ? 5 : scheduleSteps,
                                fineTuneEpochs == null ? 0 : fineTuneEpochs,
                                fineTuneLr,
                                null));
        String name = "prune-" + m.id() + (table ? "-table" : sensitivity ? "-sensitivity" : "");
        return LoadedModelRun.run(spec.commandLine().getOut(), model, overrides, name, step, output.runs, output.json);
    }

    private List<Double> defaultLevels() {
        return "unit".equals(mode.toLowerCase(Locale.ROOT))
                ? List.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
                : List.of(0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99);
    }
}
