package dev.keiryo.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SplitsTest {
    private final Dataset data = TestIdx.table(103, 4);

    @Test
    void sameSeedSameSplit() {
        Splits.IndexSplit a = Splits.indices(data, 0.2, 7);
        Splits.IndexSplit b = Splits.indices(data, 0.2, 7);
        assertArrayEquals(a.train(), b.train());
        assertArrayEquals(a.validation(), b.validation());
        assertFalse(Arrays.equals(a.validation(), Splits.indices(data, 0.2, 8).validation()));
    }

    @Test
    void disjointAndComplete() {
        Splits.IndexSplit s = Splits.indices(data, 0.2, 7);
        assertEquals(21, s.validation().length);
        boolean[] seen = new boolean[data.size()];
        for (int[] side : new int[][] {s.train(), s.validation()}) {
            for (int i : side) {
                assertFalse(seen[i], "index " + i + " on both sides");
                seen[i] = true;
            }
        }
        for (boolean b : seen) {
            assertTrue(b);
        }
    }

    @Test
    void stratified() {
        Splits.DatasetSplit s = Splits.split(TestIdx.table(1000, 4), 0.1, 3);
        assertArrayEquals(new int[] {25, 25, 25, 25}, s.validation().classCounts());
        assertArrayEquals(new int[] {225, 225, 225, 225}, s.train().classCounts());
    }

    @Test
    void zeroFractionGivesEmptyValidation() {
        Splits.IndexSplit s = Splits.indices(data, 0, 1);
        assertEquals(0, s.validation().length);
        assertEquals(data.size(), s.train().length);
    }

    @Test
    void fractionOutsideRangeIsRejected() {
        for (double f : new double[] {-0.1, 1.0, 1.5, Double.NaN}) {
            KeiryoException e = assertThrows(KeiryoException.class, () -> Splits.indices(data, f, 1));
            assertTrue(e.getMessage().contains("validation fraction"), e.getMessage());
        }
    }
}
