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

    @Option(names = "--mode", required = true, description = "connection or unit.")
    String mode;

    @Option(names = "--sparsity", description = "connection: share of weights to remove, in [0, 1).")
    Double sparsity;

    @Option(names = "--threshold", description = "connection: remove weights with |w| below this.")
    Double threshold;

    @Option(names = "--fraction", description = "unit: share of units to remove from each hidden layer, in [0, 1).")
    Double fraction;

    @Option(
            names = "--layers",
            split = ",",
            paramLabel = "NAME=SHARE",
            description = "Per-layer shares, e.g. conv1=0.3,dense1=0.8.")
    Map<String, Double> layers;

    @Option(names = "--exclude", split = ",", paramLabel = "NAME", description = "connection: layers to leave alone.")
    List<String> exclude;

    @Option(names = "--scope", description = "connection: global (default) or layer.")
    String scope;

    @Option(names = "--criterion", description = "unit: l1 (default), l2, mean-activation or apoz.")
    String criterion;

    @Option(
            names = "--schedule",
            description = "connection: oneshot (default) or agp (cubic, with fine-tuning between steps).")
    String schedule;

    @Option(names = "--schedule-steps", description = "agp: number of pruning steps (default 5).")
    Integer scheduleSteps;

    @Option(names = "--fine-tune-epochs", description = "Fine-tuning epochs after pruning (default 0; --table: 1).")
    Integer fineTuneEpochs;

    @Option(names = "--fine-tune-lr", description = "Fine-tuning learning rate (default: --lr).")
    Double fineTuneLr;

    @Option(names = "--table", description = "Make the accuracy-vs-kept table at --levels instead of one variant.")
    boolean table;

    @Option(
            names = "--sensitivity",
            description = "Make per-layer sensitivity curves at --levels instead of a variant.")
    boolean sensitivity;

    @Option(names = "--levels", split = ",", description = "Shares to remove for --table / --sensitivity.")
    List<Double> levels;

    @ArgGroup(exclusive = false, heading = "Data and fine-tuning:%n")
    ExperimentOptions overrides = new ExperimentOptions();

    @Mixin
    RunOutput output = new RunOutput();

    @Override
    public Integer call() {
        PruneMode m = PruningSettings.MODE.parse(mode);
        share(sparsity, "--sparsity");
        share(fraction, "--fraction");
        if (levels != null) {
            levels.forEach(l -> share(l, "--levels"));
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

    private static void share(Double v, String flag) {
        if (v != null && !(v >= 0 && v < 1)) {
            throw new KeiryoException(flag + " must be >= 0 and < 1 (was " + v + "); it is the share to remove.");
        }
    }
}
