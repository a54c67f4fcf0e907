package dev.keiryo.engine.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.Augmentation;
import dev.keiryo.engine.data.Dataset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Augmentation reaches the training batches and nothing else: validation, the choice data and
 * the test set are always fed exactly as read (normalised only).
 */
class AugmentedTrainingDataTest {
    private static final Path SHAPES = Path.of("..", "assets", "data", "shapes-sample");

    @TempDir
    Path dir;

    private static Experiment shapes(double validationFraction) {
        Experiment d = Experiment.defaults();
        return d.withSeed(11)
                .withData(d.data()
                        .withSource(DataSpec.Source.IMAGES)
                        .withPath(SHAPES.toString())
                        .withValidationFraction(validationFraction))
                .withModel(d.model().withPreset(ModelSpec.Preset.LENET5));
    }

    /** Every value one pass of {@code it} delivers, in order. */
    private static float[] pass(ArrayDataSetIterator it) {
        float[][] parts = new float[it.batchesPerEpoch()][];
        int n = 0;
        for (int b = 0; it.hasNext(); b++) {
            parts[b] = it.next().getFeatures().reshape(-1).toFloatVector();
            n += parts[b].length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static void assertFedAsRead(JobData data, Dataset d) {
        for (int epoch = 0; epoch < 3; epoch++) {
            ArrayDataSetIterator it = data.iterator(d, 7, false, 11, epoch);
            assertNull(it.augmentation(), d.name());
            assertArrayEquals(data.normalization().apply(d.features()), pass(it), d.name() + " epoch " + epoch);
        }
    }

    @Test
    void onlyTrainingBatchesAreAugmented() {
        JobData data = JobData.prepare(shapes(0.25));
        assertEquals(new Augmentation(true, true), data.augmentation(), "auto is crop-flip for images");
        assertNotNull(data.validation());
        assertFedAsRead(data, data.validation());
        assertFedAsRead(data, data.choices());
        assertFedAsRead(data, data.test());
        // Even the training split itself, when read for a choice or an evaluation.
        assertFedAsRead(data, data.train());

        ArrayDataSetIterator train = data.trainingIterator(8, 11, 0);
        float[] e0 = pass(train);
        train.reset();
        float[] e1 = pass(train);
        float[] plainOrder = pass(data.iterator(data.train(), 8, true, 11, 0));
        assertFalse(Arrays.equals(plainOrder, e0), "training batches are augmented");
        assertFalse(Arrays.equals(e0, e1), "anew each epoch");
        assertArrayEquals(e1, pass(data.trainingIterator(8, 11, 1)), "a resumed epoch sees the same images");
    }

    @Test
    void choicesWithoutValidationSplitAreNotAugmentedEither() {
        JobData data = JobData.prepare(shapes(0));
        assertNull(data.validation());
        assertFedAsRead(data, data.choices());
        assertFedAsRead(data, data.test());
    }

    @Test
    void noneTurnsItOffAndTablesRefuseIt() throws Exception {
        Experiment off = shapes(0.25);
        off = off.withData(off.data().withAugment(DataSpec.Augment.NONE));
        assertNull(JobData.prepare(off).augmentation());
        assertNull(
                JobData.prepare(off.withData(off.data()
                                .withSource(DataSpec.Source.SAMPLE)
                                .withPath(null)
                                .withAugment(DataSpec.Augment.AUTO)))
                        .augmentation(),
                "auto is off for the grey IDX sample");

        Path csv = Files.writeString(
                dir.resolve("t.csv"), "a,b,label\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n9,1,0\n2,3,1\n", StandardCharsets.UTF_8);
        Experiment table = off.withData(off.data()
                .withSource(DataSpec.Source.CSV)
                .withPath(csv.toString())
                .withValidationFraction(0)
                .withAugment(DataSpec.Augment.FLIP));
        KeiryoException e = assertThrows(KeiryoException.class, () -> JobData.prepare(table));
        assertTrue(e.getMessage().contains("set data.augment to none"), e.getMessage());
    }
}
