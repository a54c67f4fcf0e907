package dev.keiryo.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class ArrayDataSetIteratorTest {
    /** 10 images of 1x2x2; every pixel of image i is i, label i % 3. */
    private static Dataset images() {
        float[] f = new float[40];
        int[] y = new int[10];
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 4; j++) {
                f[i * 4 + j] = i;
            }
            y[i] = i % 3;
        }
        return new Dataset("img", f, y, 3, 1, 2, 2, List.of("a", "b", "c"));
    }

    /** The example ids (feature 0) in the order one epoch delivers them. */
    private static List<Integer> epochOrder(ArrayDataSetIterator it) {
        List<Integer> ids = new ArrayList<>();
        while (it.hasNext()) {
            INDArray f = it.next().getFeatures();
            for (int r = 0; r < f.size(0); r++) {
                ids.add(Math.round(f.getFloat(new long[] {r, 0})));
            }
        }
        return ids;
    }

    @Test
    void batchShapesAndOneHotLabels() {
        Dataset d = images();
        ArrayDataSetIterator it = ArrayDataSetIterator.builder(d)
                .batchSize(4)
                .imageShaped(true)
                .shuffle(false)
                .build();
        DataSet first = it.next();
        assertArrayEquals(new long[] {4, 1, 2, 2}, first.getFeatures().shape());
        assertArrayEquals(new long[] {4, 3}, first.getLabels().shape());
        assertArrayEquals(new float[] {0, 1, 0}, first.getLabels().getRow(1).toFloatVector());
        it.next();
        assertArrayEquals(new long[] {2, 1, 2, 2}, it.next().getFeatures().shape());
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);

        ArrayDataSetIterator flat = ArrayDataSetIterator.builder(d).batchSize(4).build();
        assertArrayEquals(new long[] {4, 4}, flat.next().getFeatures().shape());
        assertArrayEquals(new long[] {3, 4}, flat.next(3).getFeatures().shape());
    }

    @Test
    void tabularDataIgnoresImageShape() {
        ArrayDataSetIterator it = ArrayDataSetIterator.builder(TestIdx.table(5, 2))
                .batchSize(5)
                .imageShaped(true)
                .build();
        assertArrayEquals(new long[] {5, 2}, it.next().getFeatures().shape());
    }

    @Test
    void everyExampleOncePerEpoch() {
        ArrayDataSetIterator it = ArrayDataSetIterator.builder(TestIdx.table(103, 4))
                .batchSize(10)
                .seed(5)
                .build();
        for (int epoch = 0; epoch < 3; epoch++) {
            List<Integer> ids = epochOrder(it);
            assertEquals(103, ids.size());
            assertEquals(103, ids.stream().distinct().count());
            it.reset();
        }
        assertEquals(3, it.epoch());
    }

    @Test
    void orderDependsOnSeedAndEpochOnly() {
        Dataset d = TestIdx.table(50, 2);
        ArrayDataSetIterator a =
                ArrayDataSetIterator.builder(d).batchSize(7).seed(11).build();
        ArrayDataSetIterator b =
                ArrayDataSetIterator.builder(d).batchSize(7).seed(11).build();
        List<Integer> a0 = epochOrder(a);
        assertEquals(a0, epochOrder(b));
        a.reset();
        List<Integer> a1 = epochOrder(a);
        assertNotEquals(a0, a1);
        // Resuming at epoch 1 replays epoch 1 exactly.
        ArrayDataSetIterator resumed = ArrayDataSetIterator.builder(d)
                .batchSize(7)
                .seed(11)
                .startEpoch(1)
                .build();
        assertEquals(a1, epochOrder(resumed));
        assertNotEquals(
                a0,
                epochOrder(ArrayDataSetIterator.builder(d).batchSize(7).seed(12).build()));
    }

    @Test
    void resetBeforeAnyBatchKeepsTheEpoch() {
        ArrayDataSetIterator it =
                ArrayDataSetIterator.builder(TestIdx.table(20, 2)).seed(1).build();
        it.reset();
        it.reset();
        assertEquals(0, it.epoch());
    }

    @Test
    void unshuffledKeepsDataOrder() {
        ArrayDataSetIterator it = ArrayDataSetIterator.builder(TestIdx.table(6, 2))
                .batchSize(4)
                .shuffle(false)
                .build();
        assertEquals(List.of(0, 1, 2, 3, 4, 5), epochOrder(it));
    }

    @Test
    void maxBatchesLimitsEachEpoch() {
        ArrayDataSetIterator it = ArrayDataSetIterator.builder(TestIdx.table(100, 2))
                .batchSize(10)
                .maxBatches(3)
                .build();
        assertEquals(3, it.batchesPerEpoch());
        assertEquals(30, epochOrder(it).size());
        it.reset();
        assertEquals(30, epochOrder(it).size());
    }

    @Test
    void normalisesBatchesWithoutTouchingOrCopyingTheData() {
        Dataset d = images();
        float[] before = d.features().clone();
        ArrayDataSetIterator it = ArrayDataSetIterator.builder(d)
                .batchSize(10)
                .shuffle(false)
                .normalization(Normalizer.scale(2))
                .build();
        INDArray f = it.next().getFeatures();
        assertEquals(4.5f, f.getFloat(new long[] {9, 0}));
        assertSame(d.features(), it.dataset().features());
        assertArrayEquals(before, d.features());
    }

    @Test
    void appliesPreProcessor() {
        ArrayDataSetIterator it = ArrayDataSetIterator.builder(TestIdx.table(4, 2))
                .batchSize(4)
                .shuffle(false)
                .build();
        it.setPreProcessor(ds -> ds.getFeatures().addi(1000));
        assertTrue(it.getPreProcessor() != null);
        assertEquals(1000f, it.next().getFeatures().getFloat(new long[] {0, 0}));
    }

    @Test
    void describesItself() {
        ArrayDataSetIterator it =
                ArrayDataSetIterator.builder(images()).batchSize(4).build();
        assertEquals(List.of("a", "b", "c"), it.getLabels());
        assertEquals(4, it.inputColumns());
        assertEquals(3, it.totalOutcomes());
        assertEquals(10, it.totalExamples());
        assertEquals(4, it.batch());
        assertTrue(it.resetSupported());
        assertFalse(it.asyncSupported());
    }

    @Test
    void rejectsMismatchedNormalisationAndBadBatchSize() {
        Normalizer n = Normalizer.fit("standardize", TestIdx.table(5, 2));
        assertThrows(
                KeiryoException.class,
                () -> ArrayDataSetIterator.builder(images()).normalization(n).build());
        assertThrows(
                KeiryoException.class,
                () -> ArrayDataSetIterator.builder(images()).batchSize(0));
    }
}
