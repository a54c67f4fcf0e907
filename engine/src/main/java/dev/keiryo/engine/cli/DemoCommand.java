package dev.keiryo.engine.cli;

import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "demo",
        description = {
            "Train LeNet-5 on the bundled Fashion-MNIST sample end to end (about a minute):",
            "writes a run folder with the model, metrics, a summary and learning-curves.png."
        })
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RunOutput output = new RunOutput();

    @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 6;

    static Experiment experiment(int epochs) {
        Experiment d = Experiment.defaults();
        return d.withName("demo")
                .withData(d.data().withSource(DataSpec.Source.SAMPLE))
                .withModel(d.model().withPreset(ModelSpec.Preset.LENET5))
                .withTrain(d.train().withEpochs(epochs));
    }

    @Override
    public Integer call() {
        try (Interrupts interrupts = new Interrupts()) {
            ProgressPrinter progress =
                    new ProgressPrinter(spec.commandLine().getOut(), ProgressPrinter.mode(output.json), epochs);
            var result = Engine.local().train(output.runs, experiment(epochs), progress, interrupts.token());
            int code = Results.report(spec.commandLine().getOut(), result, output.json);
            if (!output.json && code == ExitCode.OK) {
                spec.commandLine()
                        .getOut()
                        .println("curves        " + result.runDir().resolve("learning-curves.png"));
            }
            return code;
        }
    }
}
