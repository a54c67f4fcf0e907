package dev.keiryo.engine.api.experiment;

import dev.keiryo.engine.api.settings.Range;
import dev.keiryo.engine.api.settings.Setting;

/** The fields of the {@code distill} step. */
public final class DistillationSettings {
    private DistillationSettings() {}

    public static final Setting<String> TEACHER = Setting.text("distill.teacher")
            .optional()
            .help("A saved model file to distil from, instead of a variant of this run (from).")
            .build();

    public static final Setting<ModelSpec.Preset> STUDENT = Setting.choice("distill.student", ModelSpec.Preset.class)
            .optional()
            .help("The student's preset; when left out, a copy of the teacher's architecture at the given width"
                    + " (lenet5 for an imported image model, mlp for an imported tabular one).")
            .cli("--student")
            .build();

    public static final Setting<Double> WIDTH = Setting.real("distill.width")
            .optional()
            .range(ModelSettings.WIDTH_RANGE)
            .help("The student's width multiplier (0.25 = a quarter of the units of every hidden layer).")
            .cli("--width")
            .build();

    public static final Setting<Double> DROPOUT = Setting.real("distill.dropout")
            .optional()
            .range(Range.closedOpen(0, 1))
            .help("The student's dropout rate; the model section's when left out.")
            .build();

    public static final Setting<Double> TEMPERATURE = Setting.real("distill.temperature")
            .defaultValue(DistillStepSpec.DEFAULT_TEMPERATURE)
            .range(Range.above(0))
            .help("Softens both networks' outputs; Hinton et al. used 2 to 20.")
            .cli("--temperature")
            .build();

    public static final Setting<Double> ALPHA = Setting.real("distill.alpha")
            .defaultValue(DistillStepSpec.DEFAULT_ALPHA)
            .range(Range.closed(0, 1))
            .help("The weight of the teacher's soft targets; 1 - alpha goes to the true labels.")
            .cli("--alpha")
            .build();

    public static final Setting<Integer> EPOCHS = Setting.integer("distill.epochs")
            .defaultValue(3)
            .range(Range.atLeast(1))
            .help("Epochs of training for each student.")
            .cli("--epochs")
            .build();

    public static final Setting<Double> LEARNING_RATE = Setting.real("distill.learningRate")
            .optional()
            .range(TrainingSettings.LEARNING_RATE_RANGE)
            .help("The students' learning rate; the training rate when left out.")
            .cli("--lr")
            .build();

    public static final Setting<Integer> SEEDS = Setting.integer("distill.seeds")
            .optional()
            .range(Range.closed(1, 100))
            .help("Students per mode, each with its own seed, to average out the luck of initialisation; 3"
                    + " with compare, else 1, when left out.")
            .cli("--seeds")
            .build();

    public static final Setting<Boolean> COMPARE = Setting.flag("distill.compare")
            .defaultValue(false)
            .help("Also train each student from scratch (no teacher) to compare with.")
            .cli("--compare")
            .build();

    public static final Setting<String> HINT_LAYER = Setting.text("distill.hintLayer")
            .optional()
            .help("FitNets: the teacher's hint layer; the student's guided layer learns to predict it.")
            .cli("--hint-layer")
            .build();

    public static final Setting<String> GUIDED_LAYER = Setting.text("distill.guidedLayer")
            .optional()
            .help("FitNets: the student's layer trained to predict the teacher's hint layer.")
            .cli("--guided-layer")
            .build();

    public static final Setting<Integer> HINT_EPOCHS = Setting.integer("distill.hintEpochs")
            .defaultValue(1)
            .range(Range.atLeast(1))
            .help("FitNets: epochs of the hint stage before knowledge distillation.")
            .cli("--hint-epochs")
            .build();
}
