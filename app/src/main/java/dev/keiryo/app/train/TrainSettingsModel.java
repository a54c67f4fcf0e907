package dev.keiryo.app.train;

import dev.keiryo.engine.api.experiment.DataParallelSettings;
import dev.keiryo.engine.api.experiment.DataSettings;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ParallelSpec;
import dev.keiryo.engine.api.experiment.RunSettings;
import dev.keiryo.engine.api.experiment.TrainSpec;
import dev.keiryo.engine.api.experiment.TrainingSettings;
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
    final ObjectProperty<TrainSpec.LrSchedule> lrSchedule = new SimpleObjectProperty<>();
    final IntegerProperty patience = new SimpleIntegerProperty();
    final IntegerProperty limitTrain = new SimpleIntegerProperty();
    final DoubleProperty validationFraction = new SimpleDoubleProperty();
    final LongProperty seed = new SimpleLongProperty();
    final BooleanProperty latency = new SimpleBooleanProperty();
    final ObjectProperty<ParallelSpec.TrainMode> mode =
            new SimpleObjectProperty<>(DataParallelSettings.MODE.defaultValue());
    final IntegerProperty workers = new SimpleIntegerProperty(2);
    final IntegerProperty averagingFrequency =
            new SimpleIntegerProperty(DataParallelSettings.AVERAGING_FREQUENCY.defaultValue());
    final BooleanProperty averageUpdaters =
            new SimpleBooleanProperty(DataParallelSettings.AVERAGE_UPDATERS.defaultValue());
    final DoubleProperty maxSparsity = new SimpleDoubleProperty(DataParallelSettings.MAX_SPARSITY.defaultValue());
    final DoubleProperty residualClip = new SimpleDoubleProperty(DataParallelSettings.RESIDUAL_CLIP.defaultValue());

    /**
     * One row of the property sheet, over one declared setting: its category, label, help and type
     * come from the declaration, and so does the rule the row's value is checked by.
     *
     * @param editable whether the row applies to the settings as they stand
     */
    public record SheetRow(
            dev.keiryo.engine.api.settings.Setting<?> declared, Property<?> property, BooleanSupplier editable) {
        SheetRow(dev.keiryo.engine.api.settings.Setting<?> declared, Property<?> property) {
            this(declared, property, () -> true);
        }

        public String category() {
            return declared.sheetCategory();
        }

        public String name() {
            return declared.sheetLabel().orElseThrow();
        }

        public String description() {
            return declared.help();
        }

        public Class<?> type() {
            return declared.type();
        }
    }

    public List<SheetRow> settings() {
        return List.of(
                new SheetRow(RunSettings.NAME, name),
                new SheetRow(RunSettings.SEED, seed),
                new SheetRow(TrainingSettings.EPOCHS, epochs),
                new SheetRow(TrainingSettings.LEARNING_RATE, learningRate),
                new SheetRow(TrainingSettings.BATCH_SIZE, batchSize),
                new SheetRow(TrainingSettings.OPTIMIZER, optimizer),
                new SheetRow(TrainingSettings.DATA_TYPE, dataType),
                new SheetRow(TrainingSettings.LR_SCHEDULE, lrSchedule),
                new SheetRow(TrainingSettings.WEIGHT_DECAY, weightDecay),
                new SheetRow(TrainingSettings.PATIENCE, patience),
                new SheetRow(DataSettings.LIMIT_TRAIN, limitTrain),
                new SheetRow(DataSettings.VALIDATION_FRACTION, validationFraction),
                new SheetRow(RunSettings.LATENCY, latency),
                new SheetRow(DataParallelSettings.MODE, mode),
                new SheetRow(DataParallelSettings.WORKERS, workers, this::parallel),
                new SheetRow(
                        DataParallelSettings.AVERAGING_FREQUENCY,
                        averagingFrequency,
                        () -> mode.get() == ParallelSpec.TrainMode.SYNC),
                new SheetRow(
                        DataParallelSettings.AVERAGE_UPDATERS,
                        averageUpdaters,
                        () -> mode.get() == ParallelSpec.TrainMode.SYNC),
                new SheetRow(
                        DataParallelSettings.MAX_SPARSITY,
                        maxSparsity,
                        () -> mode.get() == ParallelSpec.TrainMode.ASYNC),
                new SheetRow(
                        DataParallelSettings.RESIDUAL_CLIP,
                        residualClip,
                        () -> mode.get() == ParallelSpec.TrainMode.ASYNC));
    }

    private boolean parallel() {
        return mode.get() != ParallelSpec.TrainMode.SINGLE;
    }

    /** Runs {@code r} after any setting changes (not while the settings are read from an experiment). */
    void onChange(Runnable r) {
        for (SheetRow s : settings()) {
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
        lrSchedule.set(e.train().lrSchedule());
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
                        .withLrSchedule(lrSchedule.get())
                        .withEarlyStoppingPatience(patience.get())
                        .withParallel(parallel(e.train().parallel())))
                .withData(e.data()
                        .withLimitTrain(limitTrain.get() == 0 ? null : limitTrain.get())
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
