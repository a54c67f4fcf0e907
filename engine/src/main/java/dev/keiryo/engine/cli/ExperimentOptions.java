package dev.keiryo.engine.cli;

import dev.keiryo.engine.api.experiment.DataSettings;
import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSettings;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.experiment.TrainSpec;
import dev.keiryo.engine.api.experiment.TrainingSettings;
import java.util.List;
import picocli.CommandLine.Option;

/** Flags that override fields of the experiment file (or of the defaults when there is none). */
final class ExperimentOptions {
    @Option(names = "--name", descriptionKey = "name")
    String name;

    @Option(names = "--seed", descriptionKey = "seed")
    Long seed;

    @Option(names = "--source", paramLabel = "SOURCE", descriptionKey = "data.source")
    String source;

    @Option(names = "--data", paramLabel = "PATH", descriptionKey = "data.path")
    String data;

    @Option(names = "--test-data", paramLabel = "CSV", descriptionKey = "data.testPath")
    String testData;

    @Option(names = "--label-column", paramLabel = "NAME|INDEX", descriptionKey = "data.labelColumn")
    String labelColumn;

    @Option(names = "--limit-train", paramLabel = "N", descriptionKey = "data.limitTrain")
    Integer limitTrain;

    @Option(names = "--validation-fraction", paramLabel = "F", descriptionKey = "data.validationFraction")
    Double validationFraction;

    @Option(names = "--normalization", descriptionKey = "data.normalization")
    String normalization;

    @Option(names = "--image-size", paramLabel = "PIXELS", descriptionKey = "data.imageSize")
    Integer imageSize;

    @Option(names = "--skip-bad-images", descriptionKey = "data.skipBadImages")
    boolean skipBadImages;

    @Option(names = "--augment", descriptionKey = "data.augment")
    String augment;

    @Option(names = "--model", paramLabel = "PRESET", descriptionKey = "model.preset")
    String model;

    @Option(names = "--width", descriptionKey = "model.width")
    Double width;

    @Option(names = "--hidden", split = ",", paramLabel = "N,N", descriptionKey = "model.hidden")
    List<Integer> hidden;

    @Option(names = "--dropout", paramLabel = "P", descriptionKey = "model.dropout")
    Double dropout;

    @Option(names = "--epochs", descriptionKey = "train.epochs")
    Integer epochs;

    @Option(
            names = {"--lr", "--learning-rate"},
            descriptionKey = "train.learningRate")
    Double learningRate;

    @Option(names = "--batch", descriptionKey = "train.batchSize")
    Integer batch;

    @Option(names = "--optimizer", descriptionKey = "train.optimizer")
    String optimizer;

    @Option(names = "--dtype", descriptionKey = "train.dataType")
    String dataType;

    @Option(names = "--weight-decay", paramLabel = "L", descriptionKey = "train.weightDecay")
    Double weightDecay;

    @Option(names = "--lr-schedule", paramLabel = "SCHEDULE", descriptionKey = "train.lrSchedule")
    String lrSchedule;

    @Option(names = "--patience", descriptionKey = "train.earlyStoppingPatience")
    Integer patience;

    @Option(names = "--checkpoint-every", paramLabel = "EPOCHS", descriptionKey = "train.checkpointEveryEpochs")
    Integer checkpointEvery;

    @Option(names = "--no-latency", descriptionKey = "eval.latency")
    boolean noLatency;

    Experiment apply(Experiment e) {
        DataSpec d = e.data();
        if (source != null) {
            d = d.withSource(DataSettings.SOURCE.parse(source));
        }
        if (data != null) {
            d = d.withPath(data);
            if (source == null && d.source() == DataSpec.Source.SAMPLE) {
                d = d.withSource(
                        data.toLowerCase(java.util.Locale.ROOT).endsWith(".csv")
                                ? DataSpec.Source.CSV
                                : DataSpec.Source.IDX);
            }
        }
        if (testData != null) {
            d = d.withTestPath(testData);
        }
        if (labelColumn != null) {
            d = d.withLabelColumn(labelColumn);
        }
        if (limitTrain != null) {
            d = d.withLimitTrain(limitTrain);
        }
        if (validationFraction != null) {
            d = d.withValidationFraction(validationFraction);
        }
        if (normalization != null) {
            d = d.withNormalization(DataSettings.NORMALIZATION.parse(normalization));
        }
        if (imageSize != null) {
            d = d.withImageSize(imageSize);
        }
        if (skipBadImages) {
            d = d.withSkipBadImages(true);
        }
        if (augment != null) {
            d = d.withAugment(DataSettings.AUGMENT.parse(augment));
        }
        ModelSpec m = e.model();
        if (model != null) {
            m = m.withPreset(ModelSettings.PRESET.parse(model));
        }
        if (width != null) {
            m = m.withWidth(width);
        }
        if (hidden != null) {
            m = m.withHidden(hidden);
        }
        if (dropout != null) {
            m = m.withDropout(dropout);
        }
        TrainSpec t = e.train();
        if (epochs != null) {
            t = t.withEpochs(epochs);
        }
        if (learningRate != null) {
            t = t.withLearningRate(learningRate);
        }
        if (batch != null) {
            t = t.withBatchSize(batch);
        }
        if (optimizer != null) {
            t = t.withOptimizer(TrainingSettings.OPTIMIZER.parse(optimizer));
        }
        if (dataType != null) {
            t = t.withDataType(TrainingSettings.DATA_TYPE.parse(dataType));
        }
        if (weightDecay != null) {
            t = t.withWeightDecay(weightDecay);
        }
        if (lrSchedule != null) {
            t = t.withLrSchedule(TrainingSettings.LR_SCHEDULE.parse(lrSchedule));
        }
        if (patience != null) {
            t = t.withEarlyStoppingPatience(patience);
        }
        if (checkpointEvery != null) {
            t = t.withCheckpointEveryEpochs(checkpointEvery);
        }
        Experiment out = e.withData(d).withModel(m).withTrain(t);
        if (noLatency) {
            out = out.withEval(out.eval().withLatency(false));
        }
        if (name != null) {
            out = out.withName(name);
        }
        if (seed != null) {
            out = out.withSeed(seed);
        }
        return out;
    }
}
