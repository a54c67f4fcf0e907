package dev.keiryo.engine.api.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.settings.Choice;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExperimentTest {

    @Test
    void defaultsMatchTheDocumentedSchema() {
        Experiment e = Experiment.defaults();
        assertEquals(1, e.schemaVersion());
        assertEquals("experiment", e.name());
        assertEquals(42, e.seed());
        assertEquals(DataSpec.Source.SAMPLE, e.data().source());
        assertEquals(0.1, e.data().validationFraction());
        assertEquals(DataSpec.Normalization.AUTO, e.data().normalization());
        assertEquals(DataSpec.Normalization.SCALE, e.data().resolvedNormalization(), "auto is scale for the sample");
        assertEquals(
                DataSpec.Normalization.PER_CHANNEL,
                e.data().withSource(DataSpec.Source.CIFAR10).resolvedNormalization());
        assertEquals(DataSpec.Augment.NONE, e.data().resolvedAugment(), "no augmentation for grey IDX images");
        assertEquals(
                DataSpec.Augment.CROP_FLIP,
                e.data().withSource(DataSpec.Source.IMAGES).resolvedAugment());
        assertEquals(null, e.data().imageSize());
        assertEquals(false, e.data().skipBadImages());
        assertEquals(null, e.data().limitTrain());
        assertEquals(ModelSpec.Preset.LENET5, e.model().preset());
        assertEquals(1.0, e.model().width());
        assertEquals(List.of(256, 128), e.model().hidden());
        assertEquals(TrainSpec.Optimizer.ADAM, e.train().optimizer());
        assertEquals(0.001, e.train().learningRate());
        assertEquals(128, e.train().batchSize());
        assertEquals(3, e.train().epochs());
        assertEquals(TrainSpec.DataType.FLOAT, e.train().dataType());
        assertEquals(0, e.train().earlyStoppingPatience());
        assertEquals(1, e.train().checkpointEveryEpochs());
        assertTrue(e.eval().latency());
        assertEquals(List.of(), e.steps());
        assertSame(e, e.validate());
    }

    @Test
    void validateNamesSourceAndField() {
        Experiment e = Experiment.defaults().withTrain(TrainSpec.defaults().withLearningRate(0));
        String m = assertThrows(KeiryoException.class, () -> e.validate("command line"))
                .getMessage();
        assertEquals("command line: train.learningRate must be > 0 and < 10 (was 0.0).", m);
    }

    @Test
    void problemsCoverEveryRange() {
        Experiment d = Experiment.defaults();
        Experiment bad = d.withName("no spaces allowed")
                .withData(d.data()
                        .withSource(DataSpec.Source.IDX)
                        .withValidationFraction(-0.1)
                        .withLimitTrain(-1))
                .withModel(d.model().withWidth(0).withDropout(1.0).withHidden(java.util.Arrays.asList(8, null)))
                .withTrain(d.train()
                        .withLearningRate(Double.NaN)
                        .withBatchSize(0)
                        .withEpochs(0)
                        .withWeightDecay(-1)
                        .withEarlyStoppingPatience(-1)
                        .withCheckpointEveryEpochs(-1));
        String all = String.join("\n", bad.problems());
        for (String field : List.of(
                "name",
                "data.path",
                "data.validationFraction",
                "data.limitTrain",
                "model.width",
                "model.dropout",
                "model.hidden[1]",
                "train.learningRate",
                "train.batchSize",
                "train.epochs",
                "train.weightDecay",
                "train.earlyStoppingPatience",
                "train.checkpointEveryEpochs")) {
            assertTrue(all.contains(field + " must"), field + " missing in:\n" + all);
        }
        assertEquals(13, bad.problems().size(), all);
    }

    @Test
    void choicesParseForCommandLineFlags() {
        assertEquals(DataSpec.Source.FASHION_MNIST, Choice.parse(DataSpec.Source.class, "Fashion-MNIST", "--data"));
        String m = assertThrows(
                        KeiryoException.class, () -> Choice.parse(TrainSpec.Optimizer.class, "adagrad", "--optimizer"))
                .getMessage();
        assertEquals("--optimizer must be one of adam, sgd, nesterovs, rmsprop (was \"adagrad\").", m);
    }
}
