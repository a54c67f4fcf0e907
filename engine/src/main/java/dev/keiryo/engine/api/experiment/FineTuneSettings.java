package dev.keiryo.engine.api.experiment;

import dev.keiryo.engine.api.settings.Range;
import dev.keiryo.engine.api.settings.Setting;

/** The fields of the {@code fineTune} step. */
public final class FineTuneSettings {
    private FineTuneSettings() {}

    public static final Setting<Integer> EPOCHS = Setting.integer("fineTune.epochs")
            .defaultValue(1)
            .range(Range.atLeast(1))
            .help("Epochs of further training of a copy of the variant, with the schedule and data order of a"
                    + " prune step's fine-tuning: give it a compression step's fineTuneEpochs to get that step's"
                    + " fair baseline.")
            .build();

    public static final Setting<Double> LEARNING_RATE = Setting.real("fineTune.learningRate")
            .optional()
            .range(TrainingSettings.LEARNING_RATE_RANGE)
            .help("The learning rate; the training rate when left out.")
            .build();
}
