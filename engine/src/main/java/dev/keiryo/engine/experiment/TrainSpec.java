package dev.keiryo.engine.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How to train.
 *
 * @param earlyStoppingPatience epochs without validation improvement before stopping; 0 = off
 * @param checkpointEveryEpochs save a checkpoint every this many epochs; 0 = never
 */
public record TrainSpec(
        Optimizer optimizer,
        double learningRate,
        int batchSize,
        int epochs,
        DataType dataType,
        double weightDecay,
        int earlyStoppingPatience,
        int checkpointEveryEpochs) {

    public static TrainSpec defaults() {
        return of(null, null, null, null, null, null, null, null);
    }

    @JsonCreator
    static TrainSpec of(
            @JsonProperty("optimizer") Optimizer optimizer,
            @JsonProperty("learningRate") Double learningRate,
            @JsonProperty("batchSize") Integer batchSize,
            @JsonProperty("epochs") Integer epochs,
            @JsonProperty("dataType") DataType dataType,
            @JsonProperty("weightDecay") Double weightDecay,
            @JsonProperty("earlyStoppingPatience") Integer earlyStoppingPatience,
            @JsonProperty("checkpointEveryEpochs") Integer checkpointEveryEpochs) {
        return new TrainSpec(
                optimizer == null ? Optimizer.ADAM : optimizer,
                learningRate == null ? 0.001 : learningRate,
                batchSize == null ? 128 : batchSize,
                epochs == null ? 3 : epochs,
                dataType == null ? DataType.FLOAT : dataType,
                weightDecay == null ? 0.0 : weightDecay,
                earlyStoppingPatience == null ? 0 : earlyStoppingPatience,
                checkpointEveryEpochs == null ? 1 : checkpointEveryEpochs);
    }

    public TrainSpec withOptimizer(Optimizer v) {
        return new TrainSpec(v, learningRate, batchSize, epochs, dataType, weightDecay,
                earlyStoppingPatience, checkpointEveryEpochs);
    }

    public TrainSpec withLearningRate(double v) {
        return new TrainSpec(optimizer, v, batchSize, epochs, dataType, weightDecay,
                earlyStoppingPatience, checkpointEveryEpochs);
    }

    public TrainSpec withBatchSize(int v) {
        return new TrainSpec(optimizer, learningRate, v, epochs, dataType, weightDecay,
                earlyStoppingPatience, checkpointEveryEpochs);
    }

    public TrainSpec withEpochs(int v) {
        return new TrainSpec(optimizer, learningRate, batchSize, v, dataType, weightDecay,
                earlyStoppingPatience, checkpointEveryEpochs);
    }

    public TrainSpec withDataType(DataType v) {
        return new TrainSpec(optimizer, learningRate, batchSize, epochs, v, weightDecay,
                earlyStoppingPatience, checkpointEveryEpochs);
    }

    public TrainSpec withWeightDecay(double v) {
        return new TrainSpec(optimizer, learningRate, batchSize, epochs, dataType, v,
                earlyStoppingPatience, checkpointEveryEpochs);
    }

    public TrainSpec withEarlyStoppingPatience(int v) {
        return new TrainSpec(optimizer, learningRate, batchSize, epochs, dataType, weightDecay,
                v, checkpointEveryEpochs);
    }

    public TrainSpec withCheckpointEveryEpochs(int v) {
        return new TrainSpec(optimizer, learningRate, batchSize, epochs, dataType, weightDecay,
                earlyStoppingPatience, v);
    }

    public enum Optimizer implements Choice {
        ADAM("adam"), SGD("sgd"), NESTEROVS("nesterovs"), RMSPROP("rmsprop");

        private final String id;

        Optimizer(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }

    /** Floating-point type of parameters and activations. */
    public enum DataType implements Choice {
        FLOAT("float"), DOUBLE("double"), HALF("half");

        private final String id;

        DataType(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }
}
