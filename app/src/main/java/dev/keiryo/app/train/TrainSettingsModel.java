package dev.keiryo.app.train;

import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ParallelSpec;
import dev.keiryo.engine.api.experiment.TrainSpec;
import java.util.List;
import java.util.function.BooleanSupplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.Property;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The training settings the property sheet edits, each a JavaFX property, read from and written
 * back into the experiment (the same fields as the experiment file's train/data/eval sections).
 */
public final class TrainSettingsModel {
    final StringProperty name = new SimpleStringProperty();
    final IntegerProperty epochs = new SimpleIntegerProperty();
    final DoubleProperty learningRate = new SimpleDoubleProperty();
    final IntegerProperty batchSize = new SimpleIntegerProperty();
    final ObjectProperty<TrainSpec.Optimizer> optimizer = new SimpleObjectProperty<>();
    final ObjectProperty<TrainSpec.DataType> dataType = new SimpleObjectProperty<>();
    final DoubleProperty weightDecay = new SimpleDoubleProperty();
    final IntegerProperty patience = new SimpleIntegerProperty();
    final IntegerProperty limitTrain = new SimpleIntegerProperty();
    final DoubleProperty validationFraction = new SimpleDoubleProperty();
    final LongProperty seed = new SimpleLongProperty();
    final BooleanProperty latency = new SimpleBooleanProperty();
    final ObjectProperty<ParallelSpec.TrainMode> mode = new SimpleObjectProperty<>(ParallelSpec.TrainMode.SINGLE);
    final IntegerProperty workers = new SimpleIntegerProperty(2);
    final IntegerProperty averagingFrequency = new SimpleIntegerProperty(1);
    final BooleanProperty averageUpdaters = new SimpleBooleanProperty(true);
    final DoubleProperty maxSparsity = new SimpleDoubleProperty(0.01);
    final DoubleProperty residualClip = new SimpleDoubleProperty(5);

    /** One row of the property sheet; {@code editable} says whether it applies to the settings as they stand. */
    public record Setting(
            String category,
            String name,
            String description,
            Property<?> property,
            Class<?> type,
            BooleanSupplier editable) {
        Setting(String category, String name, String description, Property<?> property, Class<?> type) {
            this(category, name, description, property, type, () -> true);
        }
    }

    public List<Setting> settings() {
        return List.of(
                new Setting("Run", "Name", "Part of the run folder's name.", name, String.class),
                new Setting("Run", "Seed", "Seeds initialisation, shuffling and splits.", seed, Long.class),
                new Setting("Training", "Epochs", "Passes over the training set.", epochs, Integer.class),
                new Setting("Training", "Learning rate", "Step size of the optimizer.", learningRate, Double.class),
                new Setting("Training", "Batch size", "Examples per minibatch.", batchSize, Integer.class),
                new Setting(
                        "Training",
                        "Optimizer",
                        "adam, sgd, nesterovs or rmsprop.",
                        optimizer,
                        TrainSpec.Optimizer.class),
                new Setting("Training", "Data type", "float is fastest on CPU.", dataType, TrainSpec.DataType.class),
                new Setting("Training", "Weight decay", "L2 weight decay; 0 = off.", weightDecay, Double.class),
                new Setting(
                        "Training",
                        "Early stopping patience",
                        "Epochs without improvement; 0 = off.",
                        patience,
                        Integer.class),
                new Setting(
                        "Data",
                        "Training examples (0 = all)",
                        "Use a seeded subset of this many examples.",
                        limitTrain,
                        Integer.class),
                new Setting(
                        "Data",
                        "Validation fraction",
                        "Share of the training set held out for validation.",
                        validationFraction,
                        Double.class),
                new Setting(
                        "Evaluation",
                        "Measure latency",
                        "Time inference of every variant (slower).",
                        latency,
                        Boolean.class),
                new Setting(
                        "Data parallel",
                        "Mode",
                        "SINGLE: one model; SYNC: workers average their parameters;"
                                + " ASYNC: workers share threshold-encoded updates without waiting.",
                        mode,
                        ParallelSpec.TrainMode.class),
                new Setting(
                        "Data parallel",
                        "Workers",
                        "2 or more; each trains its own minibatches, so the global batch" + " is workers x batch size.",
                        workers,
                        Integer.class,
                        this::parallel),
                new Setting(
                        "Data parallel",
                        "Averaging frequency",
                        "SYNC: average the parameters every this many" + " iterations.",
                        averagingFrequency,
                        Integer.class,
                        () -> mode.get() == ParallelSpec.TrainMode.SYNC),
                new Setting(
                        "Data parallel",
                        "Average optimizer state",
                        "SYNC: also average Adam's moments.",
                        averageUpdaters,
                        Boolean.class,
                        () -> mode.get() == ParallelSpec.TrainMode.SYNC),
                new Setting(
                        "Data parallel",
                        "Largest share sent",
                        "ASYNC: at most this share of update entries is sent" + " per iteration (adaptive threshold).",
                        maxSparsity,
                        Double.class,
                        () -> mode.get() == ParallelSpec.TrainMode.ASYNC),
                new Setting(
                        "Data parallel",
                        "Residual clip",
                        "ASYNC: clip the unsent residual to this many thresholds;" + " 0 = off.",
                        residualClip,
                        Double.class,
                        () -> mode.get() == ParallelSpec.TrainMode.ASYNC));
    }

    private boolean parallel() {
        return mode.get() != ParallelSpec.TrainMode.SINGLE;
    }

    /** Runs {@code r} after any setting changes (not while the settings are read from an experiment). */
    void onChange(Runnable r) {
        for (Setting s : settings()) {
            s.property().addListener((o, a, b) -> {
                if (!reading) {
                    r.run();
                }
            });
        }
    }

    private boolean reading;

    void read(Experiment e) {
        reading = true;
        try {
            readAll(e);
        } finally {
            reading = false;
        }
    }

    private void readAll(Experiment e) {
        name.set(e.name());
        seed.set(e.seed());
        epochs.set(e.train().epochs());
        learningRate.set(e.train().learningRate());
        batchSize.set(e.train().batchSize());
        optimizer.set(e.train().optimizer());
        dataType.set(e.train().dataType());
        weightDecay.set(e.train().weightDecay());
        patience.set(e.train().earlyStoppingPatience());
        limitTrain.set(e.data().limitTrain() == null ? 0 : e.data().limitTrain());
        validationFraction.set(e.data().validationFraction());
        latency.set(e.eval().latency());
        ParallelSpec p = e.train().parallel();
        mode.set(p.mode());
        workers.set(p.workers() != null ? p.workers() : 2);
        averagingFrequency.set(p.averagingFrequency());
        averageUpdaters.set(p.averageUpdaters());
        maxSparsity.set(p.maxSparsity());
        residualClip.set(p.residualClip());
    }

    Experiment apply(Experiment e) {
        return e.withName(name.get())
                .withSeed(seed.get())
                .withTrain(e.train()
                        .withEpochs(epochs.get())
                        .withLearningRate(learningRate.get())
                        .withBatchSize(batchSize.get())
                        .withOptimizer(optimizer.get())
                        .withDataType(dataType.get())
                        .withWeightDecay(weightDecay.get())
                        .withEarlyStoppingPatience(patience.get())
                        .withParallel(parallel(e.train().parallel())))
                .withData(e.data()
                        .withLimitTrain(limitTrain.get() <= 0 ? null : limitTrain.get())
                        .withValidationFraction(validationFraction.get()))
                .withEval(e.eval().withLatency(latency.get()));
    }

    /**
     * The data-parallel part of the train section: single mode carries no worker count (the engine
     * rejects one); the other fields keep the experiment's own values (devices, threshold, watchdog).
     */
    private ParallelSpec parallel(ParallelSpec p) {
        boolean single = mode.get() == ParallelSpec.TrainMode.SINGLE;
        return new ParallelSpec(
                mode.get(),
                single ? null : workers.get(),
                averagingFrequency.get(),
                averageUpdaters.get(),
                p.prefetch(),
                p.devices(),
                p.deviceFallback(),
                p.thresholdAlgorithm(),
                p.threshold(),
                maxSparsity.get(),
                residualClip.get(),
                p.stallSeconds());
    }

    public ObjectProperty<ParallelSpec.TrainMode> modeProperty() {
        return mode;
    }

    public IntegerProperty workersProperty() {
        return workers;
    }

    public IntegerProperty averagingFrequencyProperty() {
        return averagingFrequency;
    }

    public IntegerProperty epochsProperty() {
        return epochs;
    }

    public IntegerProperty batchSizeProperty() {
        return batchSize;
    }

    public IntegerProperty limitTrainProperty() {
        return limitTrain;
    }

    public BooleanProperty latencyProperty() {
        return latency;
    }
}
