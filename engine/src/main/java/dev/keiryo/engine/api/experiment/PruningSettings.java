package dev.keiryo.engine.api.experiment;

import dev.keiryo.engine.api.settings.Range;
import dev.keiryo.engine.api.settings.Setting;

/** The fields of the {@code prune}, {@code pruneTable} and {@code sensitivity} steps. */
public final class PruningSettings {
    private PruningSettings() {}

    /** A share of weights or units to remove. */
    public static final Range SHARE = Range.closedOpen(0, 1);

    public static final Setting<PruneMode> MODE = Setting.choice("prune.mode", PruneMode.class)
            .help("connection removes single weights; unit removes whole neurons or filters, so the network"
                    + " really shrinks.")
            .cli("--mode")
            .build();

    public static final Setting<String> SCOPE = Setting.text("prune.scope")
            .defaultValue("global")
            .oneOf("global", "layer")
            .help("connection: global ranks all weights together (one threshold); layer prunes each layer to"
                    + " the same sparsity.")
            .cli("--scope")
            .build();

    public static final Setting<Double> SPARSITY = Setting.real("prune.sparsity")
            .optional()
            .range(SHARE)
            .help("connection: the share of weights to remove. Give sparsity or threshold, not both.")
            .cli("--sparsity")
            .build();

    public static final Setting<Double> THRESHOLD = Setting.real("prune.threshold")
            .optional()
            .range(Range.atLeast(0))
            .help("connection: remove the weights with |w| below it (one-shot schedule only).")
            .cli("--threshold")
            .build();

    public static final Setting<Double> FRACTION = Setting.real("prune.fraction")
            .optional()
            .range(SHARE)
            .help("unit: the share of units (neurons, filters) to remove from each prunable layer; layers whose"
                    + " outputs meet in a residual sum form one group and lose the same channels.")
            .cli("--fraction")
            .build();

    public static final Setting<Double> LAYER_SHARE = Setting.real("prune.layers")
            .range(SHARE)
            .list("{}")
            .help("Per-layer shares by layer name, e.g. {dense0: 0.9}; with scope layer (connection) or unit (where a"
                    + " name stands for its layer's whole channel group).")
            .cli("--layers")
            .build();

    public static final Setting<String> CRITERION = Setting.text("prune.criterion")
            .defaultValue("l1")
            .oneOf("l1", "l2", "mean-activation", "apoz")
            .help("unit: how units are ranked: the l1 or l2 norm of their weights, their mean activation, or"
                    + " their average share of zero activations (APoZ) on validation data.")
            .cli("--criterion")
            .build();

    public static final Setting<String> SCHEDULE = Setting.text("prune.schedule")
            .defaultValue("oneshot")
            .oneOf("oneshot", "agp")
            .help("connection: oneshot prunes at once; agp (automated gradual pruning) in scheduleSteps steps,"
                    + " fine-tuning between them.")
            .cli("--schedule")
            .build();

    public static final Setting<Integer> SCHEDULE_STEPS = Setting.integer("prune.scheduleSteps")
            .defaultValue(5)
            .range(Range.atLeast(1))
            .help("agp: the pruning steps.")
            .cli("--schedule-steps")
            .build();

    public static final Setting<Integer> FINE_TUNE_EPOCHS = Setting.integer("prune.fineTuneEpochs")
            .defaultValue(0)
            .range(Range.atLeast(0))
            .help("Epochs of training after pruning, with the pruned weights held at zero; 0 = none.")
            .cli("--fine-tune-epochs")
            .build();

    public static final Setting<Double> FINE_TUNE_LEARNING_RATE = Setting.real("prune.fineTuneLearningRate")
            .optional()
            .range(TrainingSettings.LEARNING_RATE_RANGE)
            .help("The fine-tuning learning rate; the training rate when left out.")
            .cli("--fine-tune-lr")
            .build();

    public static final Setting<Double> LEVEL = Setting.real("pruneTable.levels")
            .range(SHARE)
            .list("[0.1, 0.2, ..., 0.9]; sensitivity: [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95]")
            .help("pruneTable and sensitivity: the shares to remove, one variant (or measurement) each.")
            .cli("--levels")
            .build();

    public static final Setting<Integer> TABLE_FINE_TUNE_EPOCHS = Setting.integer("pruneTable.fineTuneEpochs")
            .defaultValue(1)
            .range(Range.atLeast(0))
            .help("pruneTable: epochs of fine-tuning for each level; 0 = none.")
            .build();
}
