package dev.keiryo.engine.api.experiment;

import dev.keiryo.engine.api.settings.Range;
import dev.keiryo.engine.api.settings.Setting;

/** The {@code train:} section's single-device settings (data-parallel ones: {@link DataParallelSettings}). */
public final class TrainingSettings {
    private TrainingSettings() {}

    /** Every learning rate (training, fine-tuning, quantization-aware training, distillation) shares it. */
    public static final Range LEARNING_RATE_RANGE = Range.open(0, 10);

    public static final Setting<TrainSpec.Optimizer> OPTIMIZER = Setting.choice(
                    "train.optimizer", TrainSpec.Optimizer.class)
            .defaultValue(TrainSpec.Optimizer.ADAM)
            .help("adam, sgd, nesterovs (SGD with Nesterov momentum 0.9) or rmsprop.")
            .cli("--optimizer")
            .sheet("Training", "Optimizer")
            .build();

    public static final Setting<Double> LEARNING_RATE = Setting.real("train.learningRate")
            .defaultValue(0.001)
            .range(LEARNING_RATE_RANGE)
            .help("The optimizer's step size.")
            .cli("--lr")
            .sheet("Training", "Learning rate")
            .build();

    public static final Setting<Integer> BATCH_SIZE = Setting.integer("train.batchSize")
            .defaultValue(128)
            .range(Range.closed(1, 65536))
            .help("Examples per minibatch (per worker in data-parallel modes).")
            .cli("--batch")
            .sheet("Training", "Batch size")
            .build();

    public static final Setting<Integer> EPOCHS = Setting.integer("train.epochs")
            .defaultValue(3)
            .range(Range.atLeast(0))
            .help("Passes over the training set; 0 only with model.load, to evaluate and compress a saved model.")
            .cli("--epochs")
            .sheet("Training", "Epochs")
            .build();

    public static final Setting<TrainSpec.DataType> DATA_TYPE = Setting.choice(
                    "train.dataType", TrainSpec.DataType.class)
            .defaultValue(TrainSpec.DataType.FLOAT)
            .help("float (fastest on a CPU), double or half.")
            .cli("--dtype")
            .sheet("Training", "Data type")
            .build();

    public static final Setting<TrainSpec.LrSchedule> LR_SCHEDULE = Setting.choice(
                    "train.lrSchedule", TrainSpec.LrSchedule.class)
            .defaultValue(TrainSpec.LrSchedule.CONSTANT)
            .help("constant keeps the learning rate; cosine lowers it each epoch along half a cosine, from the"
                    + " learning rate towards 0 at the last epoch (of training, and of each fine-tuning).")
            .cli("--lr-schedule")
            .sheet("Training", "Learning-rate schedule")
            .build();

    public static final Setting<Double> WEIGHT_DECAY = Setting.real("train.weightDecay")
            .defaultValue(0.0)
            .range(Range.atLeast(0))
            .help("Decoupled weight decay: each step also shrinks every weight by learning rate x this, as"
                    + " AdamW's weight_decay does (with sgd, the same as L2 regularization of this strength; 5e-4"
                    + " is usual for sgd, 0.01-0.05 for adam); biases are not decayed, and the training loss"
                    + " shown includes the penalty. 0 = off.")
            .cli("--weight-decay")
            .sheet("Training", "Weight decay")
            .build();

    public static final Setting<Integer> PATIENCE = Setting.integer("train.earlyStoppingPatience")
            .defaultValue(0)
            .range(Range.atLeast(0))
            .help("Stop after this many epochs without a better validation loss, keeping the best epoch; 0 = off.")
            .cli("--patience")
            .sheet("Training", "Early stopping patience")
            .build();

    public static final Setting<Integer> CHECKPOINT_EVERY = Setting.integer("train.checkpointEveryEpochs")
            .defaultValue(1)
            .range(Range.atLeast(0))
            .help("Save a checkpoint every this many epochs, for --resume; 0 = never.")
            .cli("--checkpoint-every")
            .build();
}
