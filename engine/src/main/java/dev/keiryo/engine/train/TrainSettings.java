package dev.keiryo.engine.train;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.TrainSpec;
import dev.keiryo.engine.api.experiment.TrainingSettings;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;

/** How one single-device training run is set up; everything that decides its result. */
public record TrainSettings(
        Updaters optimizer,
        double learningRate,
        int batchSize,
        int epochs,
        DataType dataType,
        double weightDecay,
        int earlyStoppingPatience,
        int checkpointEveryEpochs,
        long seed,
        TrainSpec.LrSchedule lrSchedule) {

    /**
     * ND4J's float16. ND4J deprecates {@code HALF} for {@code FLOAT16}, but they are distinct
     * constants, not aliases, and the models Keiryo has saved record HALF; one reference keeps the
     * switch a single edit.
     */
    @SuppressWarnings("deprecation") // the reason is above
    public static final DataType HALF = DataType.HALF;

    public TrainSettings {
        lrSchedule = lrSchedule == null ? TrainSpec.LrSchedule.CONSTANT : lrSchedule;
        TrainingSettings.LEARNING_RATE.require(learningRate);
        TrainingSettings.BATCH_SIZE.require(batchSize);
        TrainingSettings.EPOCHS.require(epochs);
        TrainingSettings.WEIGHT_DECAY.require(weightDecay);
        TrainingSettings.PATIENCE.require(earlyStoppingPatience);
        TrainingSettings.CHECKPOINT_EVERY.require(checkpointEveryEpochs);
        require(
                dataType == DataType.FLOAT || dataType == DataType.DOUBLE || dataType == HALF,
                "train.dataType must be float, double or half (was " + dataType + ")");
    }

    /** With a constant learning rate. */
    public TrainSettings(
            Updaters optimizer,
            double learningRate,
            int batchSize,
            int epochs,
            DataType dataType,
            double weightDecay,
            int earlyStoppingPatience,
            int checkpointEveryEpochs,
            long seed) {
        this(
                optimizer,
                learningRate,
                batchSize,
                epochs,
                dataType,
                weightDecay,
                earlyStoppingPatience,
                checkpointEveryEpochs,
                seed,
                TrainSpec.LrSchedule.CONSTANT);
    }

    /**
     * The learning rate of {@code epoch} (1-based). Cosine steps once per epoch, not per iteration,
     * so a resumed run sees the same rates as an uninterrupted one without storing the schedule's state.
     */
    public double learningRateAt(int epoch) {
        if (lrSchedule == TrainSpec.LrSchedule.CONSTANT || epochs <= 1) {
            return learningRate;
        }
        double progress = (double) (Math.min(epoch, epochs) - 1) / epochs;
        return learningRate * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    public static TrainSettings defaults() {
        return new TrainSettings(Updaters.ADAM, 1e-3, 128, 3, DataType.FLOAT, 0, 0, 1, 42);
    }

    public TrainSettings withEpochs(int e) {
        return new TrainSettings(
                optimizer,
                learningRate,
                batchSize,
                e,
                dataType,
                weightDecay,
                earlyStoppingPatience,
                checkpointEveryEpochs,
                seed,
                lrSchedule);
    }

    public TrainSettings withSeed(long s) {
        return new TrainSettings(
                optimizer,
                learningRate,
                batchSize,
                epochs,
                dataType,
                weightDecay,
                earlyStoppingPatience,
                checkpointEveryEpochs,
                s,
                lrSchedule);
    }

    public static DataType parseDataType(String name) {
        return switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
            case "float", "float32", "fp32" -> DataType.FLOAT;
            case "double", "float64", "fp64" -> DataType.DOUBLE;
            case "half", "float16", "fp16" -> HALF;
            default -> throw new KeiryoException("unknown data type '" + name + "'; choose float, double or half.");
        };
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new KeiryoException(message + ".");
        }
    }
}
