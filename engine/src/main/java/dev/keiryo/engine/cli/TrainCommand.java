package dev.keiryo.engine.cli;

import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ExperimentFile;
import dev.keiryo.engine.api.run.RunResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "train",
        description = {
            "Train a model from an experiment file and/or flags; writes a run folder.",
            "Flags override the file's fields. Ctrl-C stops after the current minibatch and marks the run cancelled."
        })
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "EXPERIMENT",
            description = "Experiment file (.yaml, .yml or .json).")
    Path experimentFile;

    @ArgGroup(exclusive = false, heading = "Overrides:%n")
    ExperimentOptions overrides = new ExperimentOptions();

    @ArgGroup(exclusive = false, heading = "Data-parallel training:%n")
    ParallelOptions parallel = new ParallelOptions();

    @Option(
            names = "--compare-parallel",
            description = {
                "After training, also train the same model from the same initial weights",
                "single, sync and async, and write accuracy vs wall time and vs samples seen (CSV + PNG, one variant each)."
            })
    boolean compareParallel;

    @Option(names = "--load", paramLabel = "MODEL", descriptionKey = "model.load")
    String load;

    @Option(
            names = "--dry-run",
            description = "Print the experiment the file and flags make (YAML) and stop, without training.")
    boolean dryRun;

    @Option(
            names = "--resume",
            paramLabel = "RUN_DIR",
            description = "Continue a cancelled or killed run from its last checkpoint.")
    Path resume;

    @Mixin
    RunOutput output = new RunOutput();

    @Override
    public Integer call() {
        Engine engine = Engine.local();
        if (dryRun) {
            Experiment exp = resume != null ? engine.runExperiment(output.runs, resume) : experiment();
            spec.commandLine().getOut().print(ExperimentFile.toYaml(exp.validate("command line")));
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
        try (Interrupts interrupts = new Interrupts()) {
            if (resume != null) {
                Experiment exp = engine.runExperiment(output.runs, resume);
                ProgressPrinter progress = new ProgressPrinter(
                        spec.commandLine().getOut(),
                        ProgressPrinter.mode(output.json),
                        exp.train().epochs());
                return Results.report(
                        spec.commandLine().getOut(),
                        engine.resumeTraining(output.runs, resume, progress, interrupts.token()),
                        output.json);
            }
            Experiment exp = experiment();
            ProgressPrinter progress = new ProgressPrinter(
                    spec.commandLine().getOut(),
                    ProgressPrinter.mode(output.json),
                    exp.train().epochs());
            RunResult result = engine.train(output.runs, exp, progress, interrupts.token());
            return Results.report(spec.commandLine().getOut(), result, output.json);
        }
    }

    /** The experiment file (or the defaults) with the flags applied: what a run trains. */
    Experiment experiment() {
        Experiment exp = parallel.apply(
                overrides.apply(experimentFile == null ? Experiment.defaults() : ExperimentFile.read(experimentFile)));
        if (load != null) {
            exp = exp.withModel(exp.model().withLoad(load));
        }
        return compareParallel ? parallel.withCompareStep(exp) : exp;
    }
}
