package dev.keiryo.engine.cli;

import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.run.ImportRequest;
import dev.keiryo.engine.api.run.RunResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "import",
        description = {
            "Import an ONNX classifier (e.g. from torch.onnx.export) or a Keras .h5 one into a new run folder:",
            "the model with the same weights as models/model.zip, and its evaluation on the test set,",
            "ready for eval, prune, quantize and distill. The data (--source, --data) gives it its class names",
            "and the normalisation of its inputs (--normalization scale divides pixels by 255, as",
            "torchvision's ToTensor does)."
        })
final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            paramLabel = "MODEL",
            description = "The model to import: an ONNX file (.onnx) or a Keras 2 file (.h5).")
    Path model;

    @ArgGroup(exclusive = false, heading = "Data and fine-tuning (--epochs trains the imported model first):%n")
    ExperimentOptions overrides = new ExperimentOptions();

    @Mixin
    RunOutput output = new RunOutput();

    @Override
    public Integer call() {
        String file = String.valueOf(model.getFileName());
        String stem = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
        Experiment d = Experiment.defaults();
        Experiment exp =
                overrides.apply(d.withName("import-" + stem).withTrain(d.train().withEpochs(0)));
        try (Interrupts interrupts = new Interrupts()) {
            ProgressPrinter progress = new ProgressPrinter(
                    spec.commandLine().getOut(),
                    ProgressPrinter.mode(output.json),
                    Math.max(1, exp.train().epochs()));
            RunResult r = Engine.local()
                    .importModel(output.runs, new ImportRequest(model, exp), progress, interrupts.token());
            return Results.report(spec.commandLine().getOut(), r, output.json);
        }
    }
}
