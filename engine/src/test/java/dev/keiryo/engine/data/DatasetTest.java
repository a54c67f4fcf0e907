package dev.keiryo.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DatasetTest {
    @Test
    void subsetCopiesRowsInOrder() {
        Dataset d = TestIdx.table(5, 3);
        Dataset s = d.subset(new int[] {4, 1});
        assertArrayEquals(new float[] {4, 40, 1, 10}, s.features());
        assertArrayEquals(new int[] {1, 1}, s.labels());
        assertEquals(3, s.numClasses());
        assertEquals(2, s.size());
    }

    @Test
    void classCountsAndShape() {
        Dataset d = TestIdx.table(7, 3);
        assertArrayEquals(new int[] {3, 2, 2}, d.classCounts());
        assertEquals(2, d.featureCount());
        assertFalse(d.isImage());
        assertEquals("2", d.className(2));
        assertEquals("Bag", Dataset.FASHION_MNIST_CLASSES.get(8));
    }

    @Test
    void rejectsInconsistentParts() {
        assertThrows(IllegalArgumentException.class, () -> Dataset.tabular("x", new float[3], new int[2], 2, 2, null));
        assertThrows(
                IllegalArgumentException.class, () -> Dataset.tabular("x", new float[2], new int[] {5}, 2, 2, null));
    }
}
