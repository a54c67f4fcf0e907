package dev.keiryo.app.train;

import dev.keiryo.engine.experiment.Experiment;
import dev.keiryo.engine.experiment.TrainSpec;
import java.util.List;
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

    /** One row of the property sheet. */
    public record Setting(String category, String name, String description, Property<?> property, Class<?> type) {
    }

    public List<Setting> settings() {
        return List.of(
                new Setting("Run", "Name", "Part of the run folder's name.", name, String.class),
                new Setting("Run", "Seed", "Seeds initialisation, shuffling and splits.", seed, Long.class),
                new Setting("Training", "Epochs", "Passes over the training set.", epochs, Integer.class),
                new Setting("Training", "Learning rate", "Step size of the optimizer.", learningRate, Double.class),
                new Setting("Training", "Batch size", "Examples per minibatch.", batchSize, Integer.class),
                new Setting("Training", "Optimizer", "adam, sgd, nesterovs or rmsprop.", optimizer, TrainSpec.Optimizer.class),
                new Setting("Training", "Data type", "float is fastest on CPU.", dataType, TrainSpec.DataType.class),
                new Setting("Training", "Weight decay", "L2 weight decay; 0 = off.", weightDecay, Double.class),
                new Setting("Training", "Early stopping patience", "Epochs without improvement; 0 = off.", patience,
                        Integer.class),
                new Setting("Data", "Training examples (0 = all)", "Use a seeded subset of this many examples.", limitTrain,
                        Integer.class),
                new Setting("Data", "Validation fraction", "Share of the training set held out for validation.",
                        validationFraction, Double.class),
                new Setting("Evaluation", "Measure latency", "Time inference of every variant (slower).", latency,
                        Boolean.class));
    }

    void read(Experiment e) {
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
    }

    Experiment apply(Experiment e) {
        return e.withName(name.get()).withSeed(seed.get())
                .withTrain(e.train().withEpochs(epochs.get()).withLearningRate(learningRate.get()).withBatchSize(batchSize.get())
                        .withOptimizer(optimizer.get()).withDataType(dataType.get()).withWeightDecay(weightDecay.get())
                        .withEarlyStoppingPatience(patience.get()))
                .withData(e.data().withLimitTrain(limitTrain.get() <= 0 ? null : limitTrain.get())
                        .withValidationFraction(validationFraction.get()))
                .withEval(e.eval().withLatency(latency.get()));
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
