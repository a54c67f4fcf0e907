package dev.keiryo.engine.api.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keiryo.engine.api.settings.Choice;
import java.util.List;

/**
 * How to train.
 *
 * @param earlyStoppingPatience epochs without validation improvement before stopping; 0 = off
 * @param checkpointEveryEpochs save a checkpoint every this many epochs; 0 = never
 * @param lrSchedule how the learning rate changes over the epochs
 * @param parallel data-parallel training; written and read as plain fields of this section
 */
public record TrainSpec(
        Optimizer optimizer,
        double learningRate,
        int batchSize,
        int epochs,
        DataType dataType,
        double weightDecay,
        int earlyStoppingPatience,
        int checkpointEveryEpochs,
        LrSchedule lrSchedule,
        @JsonIgnore ParallelSpec parallel) {

    public TrainSpec {
        lrSchedule = lrSchedule == null ? TrainingSettings.LR_SCHEDULE.defaultValue() : lrSchedule;
        parallel = parallel == null ? ParallelSpec.defaults() : parallel;
    }

    public static TrainSpec defaults() {
        return of(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
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
            @JsonProperty("checkpointEveryEpochs") Integer checkpointEveryEpochs,
            @JsonProperty("lrSchedule") LrSchedule lrSchedule,
            @JsonProperty("mode") ParallelSpec.TrainMode mode,
            @JsonProperty("workers") Integer workers,
            @JsonProperty("averagingFrequency") Integer averagingFrequency,
            @JsonProperty("averageUpdaters") Boolean averageUpdaters,
            @JsonProperty("prefetch") Integer prefetch,
            @JsonProperty("devices") List<String> devices,
            @JsonProperty("deviceFallback") ParallelSpec.DeviceFallback deviceFallback,
            @JsonProperty("thresholdAlgorithm") ParallelSpec.ThresholdAlgorithm thresholdAlgorithm,
            @JsonProperty("threshold") Double threshold,
            @JsonProperty("maxSparsity") Double maxSparsity,
            @JsonProperty("residualClip") Double residualClip,
            @JsonProperty("stallSeconds") Integer stallSeconds) {
        return new TrainSpec(
                optimizer == null ? TrainingSettings.OPTIMIZER.defaultValue() : optimizer,
                learningRate == null ? TrainingSettings.LEARNING_RATE.defaultValue() : learningRate,
                batchSize == null ? TrainingSettings.BATCH_SIZE.defaultValue() : batchSize,
                epochs == null ? TrainingSettings.EPOCHS.defaultValue() : epochs,
                dataType == null ? TrainingSettings.DATA_TYPE.defaultValue() : dataType,
                weightDecay == null ? TrainingSettings.WEIGHT_DECAY.defaultValue() : weightDecay,
                earlyStoppingPatience == null ? TrainingSettings.PATIENCE.defaultValue() : earlyStoppingPatience,
                checkpointEveryEpochs == null
                        ? TrainingSettings.CHECKPOINT_EVERY.defaultValue()
                        : checkpointEveryEpochs,
                lrSchedule,
                ParallelSpec.of(
                        mode,
                        workers,
                        averagingFrequency,
                        averageUpdaters,
                        prefetch,
                        devices,
                        deviceFallback,
                        thresholdAlgorithm,
                        threshold,
                        maxSparsity,
                        residualClip,
                        stallSeconds));
    }

    public TrainSpec withParallel(ParallelSpec v) {
        return new TrainSpec(
                optimizer,
                learningRate,
                batchSize,
                epochs,
                dataType,
                weightDecay,
                earlyStoppingPatience,
                checkpointEveryEpochs,
                lrSchedule,
                v);
    }

    // The parallel fields, flat in the file.
    @JsonProperty("mode")
    ParallelSpec.TrainMode jsonMode() {
        return parallel.mode();
    }

    @JsonProperty("workers")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    Integer jsonWorkers() {
        return parallel.workers();
    }

    @JsonProperty("averagingFrequency")
    int jsonAveragingFrequency() {
        return parallel.averagingFrequency();
    }

    @JsonProperty("averageUpdaters")
    boolean jsonAverageUpdaters() {
        return parallel.averageUpdaters();
    }

    @JsonProperty("prefetch")
    int jsonPrefetch() {
        return parallel.prefetch();
    }

    @JsonProperty("devices")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    List<String> jsonDevices() {
        return parallel.devices();
    }

    @JsonProperty("deviceFallback")
    ParallelSpec.DeviceFallback jsonDeviceFallback() {
        return parallel.deviceFallback();
    }

    @JsonProperty("thresholdAlgorithm")
    ParallelSpec.ThresholdAlgorithm jsonThresholdAlgorithm() {
        return parallel.thresholdAlgorithm();
    }

    @JsonProperty("threshold")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    Double jsonThreshold() {
        return parallel.threshold();
    }

    @JsonProperty("maxSparsity")
    double jsonMaxSparsity() {
        return parallel.maxSparsity();
    }

    @JsonProperty("residualClip")
    double jsonResidualClip() {
        return parallel.residualClip();
    }

    @JsonProperty("stallSeconds")
    int jsonStallSeconds() {
        return parallel.stallSeconds();
    }

    public TrainSpec withOptimizer(Optimizer v) {
        return new TrainSpec(
                v,
                learningRate,
                batchSize,
                epochs,
                dataType,
                weightDecay,
                earlyStoppingPatience,
                checkpointEveryEpochs,
                lrSchedule,
                parallel);
    }

    public TrainSpec withLearningRate(double v) {
        return new TrainSpec(
                optimizer,
                v,
                batchSize,
                epochs,
                dataType,
                weightDecay,
                earlyStoppingPatience,
                checkpointEveryEpochs,
                lrSchedule,
                parallel);
    }

    public TrainSpec withBatchSize(int v) {
        return new TrainSpec(
                optimizer,
                learningRate,
                v,
                epochs,
                dataType,
                weightDecay,
                earlyStoppingPatience,
                checkpointEveryEpochs,
                lrSchedule,
                parallel);
    }

    public TrainSpec withEpochs(int v) {
        return new TrainSpec(
                optimizer,
                learningRate,
                batchSize,
                v,
                dataType,
                weightDecay,
                earlyStoppingPatience,
                checkpointEveryEpochs,
                lrSchedule,
                parallel);
    }

    public TrainSpec withDataType(DataType v) {
        return new TrainSpec(
                optimizer,
                learningRate,
                batchSize,
                epochs,
                v,
                weightDecay,
                earlyStoppingPatience,
                checkpointEveryEpochs,
                lrSchedule,
                parallel);
    }

    public TrainSpec withWeightDecay(double v) {
        return new TrainSpec(
                optimizer,
                learningRate,
                batchSize,
                epochs,
                dataType,
                v,
                earlyStoppingPatience,
                checkpointEveryEpochs,
                lrSchedule,
                parallel);
    }

    public TrainSpec withEarlyStoppingPatience(int v) {
        return new TrainSpec(
                optimizer,
                learningRate,
                batchSize,
                epochs,
                dataType,
                weightDecay,
                v,
                checkpointEveryEpochs,
                lrSchedule,
                parallel);
    }

    public TrainSpec withCheckpointEveryEpochs(int v) {
        return new TrainSpec(
                optimizer,
                learningRate,
                batchSize,
                epochs,
                dataType,
                weightDecay,
                earlyStoppingPatience,
                v,
                lrSchedule,
                parallel);
    }

    public TrainSpec withLrSchedule(LrSchedule v) {
        return new TrainSpec(
                optimizer,
                learningRate,
                batchSize,
                epochs,
                dataType,
                weightDecay,
                earlyStoppingPatience,
                checkpointEveryEpochs,
                v,
                parallel);
    }

    /** How the learning rate changes over the epochs of one training (or fine-tuning) phase. */
    public enum LrSchedule implements Choice {
        CONSTANT("constant"),
        COSINE("cosine");

        private final String id;

        LrSchedule(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }

    public enum Optimizer implements Choice {
        ADAM("adam"),
        SGD("sgd"),
        NESTEROVS("nesterovs"),
        RMSPROP("rmsprop");

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
        FLOAT("float"),
        DOUBLE("double"),
        HALF("half");

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
