package dev.keiryo.engine.job;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.Augmentation;
import dev.keiryo.engine.data.DataBundle;
import dev.keiryo.engine.data.DataSources;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.data.Splits;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelMeta;

/**
 * The data of one job, split and with its normalisation fitted on the training part.
 *
 * @param validation the held-out validation split, or null when {@code data.validationFraction} is 0
 * @param choices what sensitivity, distillation curves and previews are read on: the validation
 *     split, or a carved part of the training set without one; never the test set
 * @param augmentation what changes training images, or null; only {@link #trainingIterator}
 *     applies it, so validation, choices and test data are always seen as they are
 */
record JobData(
        Dataset train,
        Dataset validation,
        Dataset choices,
        Dataset test,
        Normalizer normalization,
        boolean imageShaped,
        Augmentation augmentation,
        String description) {
    /** Share of the training set that choices read when there is no validation split. */
    static final double CHOICE_FRACTION = 0.1;

    static JobData prepare(Experiment exp) {
        DataBundle bundle = DataSources.load(Conversions.data(exp));
        Dataset train = bundle.train();
        if (exp.data().limitTrain() != null && exp.data().limitTrain() < train.size()) {
            train = Subsets.seeded(train, exp.data().limitTrain(), exp.seed());
        }
        Dataset validation = null;
        if (exp.data().validationFraction() > 0) {
            Splits.DatasetSplit split = Splits.split(train, exp.data().validationFraction(), exp.seed());
            train = split.train();
            validation = split.validation();
        }
        Normalizer norm = Normalizer.fit(exp.data().resolvedNormalization().id(), train);
        boolean image = Conversions.model(exp).preset().convolutional();
        Dataset choices = validation != null ? validation : carveChoices(train, exp.seed());
        Augmentation augmentation = Augmentation.of(exp.data().resolvedAugment());
        if (augmentation != null && !train.isImage()) {
            throw new KeiryoException("data.augment is " + exp.data().augment().id() + " but " + bundle.description()
                    + " is not images; set data.augment to none (--augment none).");
        }
        return new JobData(train, validation, choices, bundle.test(), norm, image, augmentation, bundle.description());
    }

    /**
     * The data choices are read on when {@code data.validationFraction} is 0. Choices made on the
     * test set would leak it, turning the final test accuracy into an optimistic estimate, so a
     * seeded, stratified tenth of the training set is used instead: the same seed always carves
     * the same examples, so a resumed or replayed run makes the same choices. It is carved after the
     * split rather than held out from training, because taking examples away would change the
     * training the user asked for and could not be known in advance for an interactive session;
     * the price is that training saw these examples, so accuracies read on them run high, which
     * the steps say when they use it.
     */
    private static Dataset carveChoices(Dataset train, long seed) {
        Dataset carved = Splits.split(train, CHOICE_FRACTION, seed).validation();
        // Fewer than five examples round to none: then the whole (tiny) training set it is.
        return (carved.size() > 0 ? carved : train).withName(train.name() + "-subset");
    }

    /** This data fed the way {@code model} was trained, when it says how (a loaded or resumed model). */
    JobData feeding(KeiryoModel model) {
        return model.meta() != null && model.meta().normalization() != null ? with(model.meta()) : this;
    }

    /** The same data fed the way a loaded model was trained: its normalisation and input shape. */
    JobData with(ModelMeta meta) {
        return new JobData(
                train, validation, choices, test, meta.normalization(), meta.imageShaped(), augmentation, description);
    }

    /** What {@link #choices()} is, for reports: "validation" or "training-subset". */
    String choicesName() {
        return validation != null ? "validation" : "training-subset";
    }

    /** Shuffled, augmented minibatches of the training split, for fitting. */
    ArrayDataSetIterator trainingIterator(int batch, long seed, int startEpoch) {
        return ArrayDataSetIterator.builder(train)
                .normalization(normalization)
                .batchSize(batch)
                .seed(seed)
                .shuffle(true)
                .imageShaped(imageShaped)
                .augmentation(augmentation)
                .startEpoch(startEpoch)
                .build();
    }

    /** Minibatches of {@code d} as they are, never augmented: for evaluation and choices. */
    ArrayDataSetIterator iterator(Dataset d, int batch, boolean shuffle, long seed, int startEpoch) {
        return ArrayDataSetIterator.builder(d)
                .normalization(normalization)
                .batchSize(batch)
                .seed(seed)
                .shuffle(shuffle)
                .imageShaped(imageShaped)
                .startEpoch(startEpoch)
                .build();
    }
}
