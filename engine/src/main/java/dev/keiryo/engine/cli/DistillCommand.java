package dev.keiryo.engine.cli;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.DistillStepSpec;
import dev.keiryo.engine.api.experiment.DistillationSettings;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.experiment.StepSpec;
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
        name = "distill",
        description = {
            "Train a small student from a frozen teacher: knowledge distillation (Hinton et al. 2015)",
            "with a temperature and alpha, optionally after a FitNets hint stage. With --compare, the",
            "same student is also trained from scratch, each mode over --seeds seeds; the run gets",
            "distill-summary.csv (mean and spread), distill-runs.csv and distill-curves.png, and every",
            "student is a variant. --width, --hidden and --epochs apply to the student."
        })
final class DistillCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TEACHER", description = "The teacher: a model file written by Keiryo (.zip or .kpack).")
    Path teacher;

    @Option(names = "--student", paramLabel = "PRESET", descriptionKey = "distill.student")
    String student;

    @Option(
            names = {"--temperature", "-T"},
            descriptionKey = "distill.temperature")
    double temperature = DistillStepSpec.DEFAULT_TEMPERATURE;

    @Option(names = "--alpha", descriptionKey = "distill.alpha")
    double alpha = DistillStepSpec.DEFAULT_ALPHA;

    @Option(names = "--hint-layer", paramLabel = "NAME", descriptionKey = "distill.hintLayer")
    String hintLayer;

    @Option(names = "--guided-layer", paramLabel = "NAME", descriptionKey = "distill.guidedLayer")
    String guidedLayer;

    @Option(names = "--hint-epochs", descriptionKey = "distill.hintEpochs")
    int hintEpochs = 1;

    @Option(names = "--seeds", descriptionKey = "distill.seeds")
    Integer seeds;

    @Option(names = "--compare", descriptionKey = "distill.compare")
    boolean compare;

    @ArgGroup(exclusive = false, heading = "Data and student training:%n")
    ExperimentOptions overrides = new ExperimentOptions();

    @Mixin
    RunOutput output = new RunOutput();

    @Override
    public Integer call() {
        DistillationSettings.TEMPERATURE.require(temperature);
        DistillationSettings.ALPHA.require(alpha);
        if (seeds != null) {
            DistillationSettings.SEEDS.require(seeds);
        }
        if ((hintLayer == null) != (guidedLayer == null)) {
            throw new KeiryoException(
                    (hintLayer == null ? "--guided-layer needs --hint-layer" : "--hint-layer needs --guided-layer")
                            + ": hint training pairs a teacher layer with a student layer.");
        }
        if (overrides.model != null) {
            throw new KeiryoException(
                    "--model does not apply to distill: the teacher is TEACHER and the student is --student.");
        }
        int epochs = overrides.epochs == null ? DistillationSettings.EPOCHS.defaultValue() : overrides.epochs;
        ModelSpec.Preset preset = student == null ? null : DistillationSettings.STUDENT.parse(student);
        DistillStepSpec d = DistillStepSpec.builder()
                .student(preset)
                .width(overrides.width)
                .hidden(overrides.hidden)
                .temperature(temperature)
                .alpha(alpha)
                .epochs(epochs)
                .seeds(seeds)
                .compare(compare)
                .hintLayer(hintLayer)
                .guidedLayer(guidedLayer)
                .hintEpochs(hintEpochs)
                .build();
        // These flags describe the student; the loaded teacher is used as saved.
        overrides.epochs = null;
        overrides.width = null;
        overrides.hidden = null;
        String name = "distill-" + (student == null ? "teacher-copy" : preset.id()) + (compare ? "-compare" : "");
        return LoadedModelRun.run(
                spec.commandLine().getOut(),
                teacher,
                overrides,
                name,
                StepSpec.of(d),
                output.runs,
                output.json,
                epochs);
    }
}
