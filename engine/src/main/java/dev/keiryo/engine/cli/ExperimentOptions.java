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
    @Option(names = "--name", description = "Run name (part of the run folder's name).")
    String name;

    @Option(names = "--seed", description = "Random seed for initialisation, splits and shuffling.")
    Long seed;

    @Option(
            names = "--source",
            paramLabel = "SOURCE",
            description = "Data: sample, fashion-mnist, mnist, idx, csv, cifar10, cifar100 or images.")
    String source;

    @Option(
            names = "--data",
            paramLabel = "PATH",
            description = "Data folder (idx, images, fashion-mnist, mnist, cifar10, cifar100) or CSV file.")
    String data;

    @Option(
            names = "--test-data",
            paramLabel = "CSV",
            description = "Test CSV (csv only; else a test split is held out).")
    String testData;

    @Option(
            names = "--label-column",
            paramLabel = "NAME|INDEX",
            description = "CSV label column by name or 0-based index.")
    String labelColumn;

    @Option(names = "--limit-train", paramLabel = "N", description = "Train on a seeded subset of N examples.")
    Integer limitTrain;

    @Option(
            names = "--validation-fraction",
            paramLabel = "F",
            description = "Share of the training examples held out for validation (default 0.1).")
    Double validationFraction;

    @Option(names = "--normalization", description = "auto (default), scale, standardize, per-channel or none.")
    String normalization;

    @Option(
            names = "--image-size",
            paramLabel = "PIXELS",
            description = "images only: resize every image to PIXELS x PIXELS (default: the first image's size).")
    Integer imageSize;

    @Option(
            names = "--skip-bad-images",
            description = "images only: skip and count unreadable image files instead of stopping.")
    boolean skipBadImages;

    @Option(
            names = "--augment",
            description = "Training augmentation: auto (default; crop-flip for colour images), none, crop-flip,"
                    + " crop or flip.")
    String augment;

    @Option(names = "--model", paramLabel = "PRESET", description = "lenet300, lenet5, teacher or mlp.")
    String model;

    @Option(names = "--width", description = "Width multiplier for hidden layers (e.g. 0.5).")
    Double width;

    @Option(names = "--hidden", split = ",", paramLabel = "N,N", description = "MLP hidden layer sizes.")
    List<Integer> hidden;

    @Option(names = "--dropout", paramLabel = "P", description = "Dropout probability of the hidden layers (0 = off).")
    Double dropout;

    @Option(names = "--epochs")
    Integer epochs;

    @Option(names = {"--lr", "--learning-rate"})
    Double learningRate;

    @Option(names = "--batch")
    Integer batch;

    @Option(names = "--optimizer", description = "adam, sgd, nesterovs or rmsprop.")
    String optimizer;

    @Option(names = "--dtype", description = "float, double or half.")
    String dataType;

    @Option(names = "--weight-decay", paramLabel = "L", description = "Weight decay coefficient (0 = off).")
    Double weightDecay;

    @Option(names = "--patience", description = "Early stopping: epochs without validation improvement (0 = off).")
    Integer patience;

    @Option(
            names = "--checkpoint-every",
            paramLabel = "EPOCHS",
            description = "Save a checkpoint every this many epochs (0 = never; default 1).")
    Integer checkpointEvery;

    @Option(names = "--no-latency", description = "Skip the inference latency measurement after training.")
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
