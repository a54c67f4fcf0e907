package dev.keiryo.engine.api.experiment;

import dev.keiryo.engine.api.settings.Range;
import dev.keiryo.engine.api.settings.Setting;

/** The {@code model:} section: which network to build, or which saved model to start from. */
public final class ModelSettings {
    private ModelSettings() {}

    /** Widths everywhere (a model, a distillation student, the workbench's spinners) share this range. */
    public static final Range WIDTH_RANGE = Range.openClosed(0, 16);

    public static final Setting<ModelSpec.Preset> PRESET = Setting.choice("model.preset", ModelSpec.Preset.class)
            .defaultValue(ModelSpec.Preset.LENET5)
            .help("lenet300 (LeNet-300-100), lenet5 (LeNet-5), teacher (a wider CNN), mlp (hidden sizes below),"
                    + " resnet20 (ResNet-20 with batch norm and residual sums, for images) or vgg-small (a small VGG"
                    + " with batch norm, for images of at least 8x8).")
            .cli("--model")
            .build();

    public static final Setting<Double> WIDTH = Setting.real("model.width")
            .defaultValue(1.0)
            .range(WIDTH_RANGE)
            .help("Multiplies every hidden layer's units or filters: 0.5 is half as wide.")
            .cli("--width")
            .build();

    public static final Setting<Integer> HIDDEN = Setting.integer("model.hidden")
            .range(Range.atLeast(1))
            .list("[256, 128]")
            .help("mlp only: the hidden layers' sizes, e.g. [256, 128].")
            .cli("--hidden")
            .build();

    public static final Setting<Double> DROPOUT = Setting.real("model.dropout")
            .defaultValue(0.0)
            .range(Range.closedOpen(0, 1))
            .help("Dropout rate of the hidden layers; 0 = none.")
            .cli("--dropout")
            .build();

    public static final Setting<String> LOAD = Setting.text("model.load")
            .optional()
            .help(
                    "A saved model (.zip or .kpack), or an ONNX (.onnx) or Keras (.h5) classifier to import, to start from instead of"
                            + " the preset.")
            .cli("--load")
            .build();
}
