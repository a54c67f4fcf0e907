package dev.keiryo.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.DataSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmentationTest {
    private static final int SIDE = 8;

    /** Two channels of 8x8 with all values distinct and above 0: value = 1 + c * 64 + y * 8 + x. */
    private static float[] image() {
        float[] x = new float[2 * SIDE * SIDE];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1 + i;
        }
        return x;
    }

    /** The (dx, dy, mirrored) that turns {@code in} into {@code out}, or null when none does. */
    private static int[] transformOf(float[] in, float[] out, int pad) {
        for (int m = 0; m < 2; m++) {
            for (int dy = -pad; dy <= pad; dy++) {
                for (int dx = -pad; dx <= pad; dx++) {
                    if (matches(in, out, dx, dy, m == 1)) {
                        return new int[] {dx, dy, m};
                    }
                }
            }
        }
        return null;
    }

    private static boolean matches(float[] in, float[] out, int dx, int dy, boolean mirror) {
        int plane = SIDE * SIDE;
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    int sx = (mirror ? SIDE - 1 - x : x) + dx;
                    int sy = y + dy;
                    float want = sx < 0 || sy < 0 || sx >= SIDE || sy >= SIDE ? 0 : in[c * plane + sy * SIDE + sx];
                    if (out[c * plane + y * SIDE + x] != want) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    @Test
    void padIsAnEighthOfTheSide() {
        assertEquals(4, Augmentation.padding(32));
        assertEquals(1, Augmentation.padding(8));
        assertEquals(1, Augmentation.padding(3));
    }

    @Test
    void cropShiftsWithBlackFillAndFlipMirrors() {
        Random random = new Random(5);
        List<String> seen = new ArrayList<>();
        for (int k = 0; k < 200; k++) {
            float[] x = image();
            new Augmentation(true, true).apply(x, 1, 2, SIDE, SIDE, random);
            int[] t = transformOf(image(), x, 1);
            assertTrue(t != null, "not a padded crop or mirror of the input: " + Arrays.toString(x));
            seen.add(Arrays.toString(t));
        }
        // All 9 shifts, each with and without the mirror, turn up in 200 draws.
        assertEquals(18, seen.stream().distinct().count(), seen.toString());
    }

    @Test
    void flipAloneNeverShifts() {
        Random random = new Random(9);
        int mirrored = 0;
        for (int k = 0; k < 100; k++) {
            float[] x = image();
            new Augmentation(false, true).apply(x, 1, 2, SIDE, SIDE, random);
            int[] t = transformOf(image(), x, 1);
            assertEquals(0, t[0]);
            assertEquals(0, t[1]);
            mirrored += t[2];
        }
        assertTrue(mirrored > 30 && mirrored < 70, mirrored + " of 100 mirrored");
    }

    @Test
    void choicesMapToAugmentations() {
        assertNull(Augmentation.of(DataSpec.Augment.NONE));
        assertEquals(new Augmentation(true, true), Augmentation.of(DataSpec.Augment.CROP_FLIP));
        assertEquals(new Augmentation(true, false), Augmentation.of(DataSpec.Augment.CROP));
        assertEquals(new Augmentation(false, true), Augmentation.of(DataSpec.Augment.FLIP));
    }

    /** 12 images of 2x8x8, image i's values offset by 1000 * i, label i % 3. */
    private static Dataset images() {
        int d = 2 * SIDE * SIDE;
        float[] f = new float[12 * d];
        int[] y = new int[12];
        for (int i = 0; i < 12; i++) {
            float[] img = image();
            for (int j = 0; j < d; j++) {
                f[i * d + j] = img[j] + 1000 * i;
            }
            y[i] = i % 3;
        }
        return new Dataset("img", f, y, 3, 2, SIDE, SIDE, null);
    }

    private static List<float[]> epoch(ArrayDataSetIterator it) {
        List<float[]> out = new ArrayList<>();
        while (it.hasNext()) {
            out.add(it.next().getFeatures().reshape(-1).toFloatVector());
        }
        return out;
    }

    private static ArrayDataSetIterator.Builder builder(Augmentation a) {
        return ArrayDataSetIterator.builder(images())
                .batchSize(5)
                .seed(3)
                .imageShaped(true)
                .augmentation(a);
    }

    @Test
    void iteratorAugmentsPerEpochReproduciblyWithoutChangingTheOrder() {
        List<float[]> plain = epoch(builder(null).build());
        ArrayDataSetIterator it = builder(new Augmentation(true, true)).build();
        List<float[]> e0 = epoch(it);
        it.reset();
        List<float[]> e1 = epoch(it);
        List<float[]> again = epoch(builder(new Augmentation(true, true)).build());
        List<float[]> resumed =
                epoch(builder(new Augmentation(true, true)).startEpoch(1).build());
        boolean changed = false;
        for (int b = 0; b < plain.size(); b++) {
            assertArrayEquals(e0.get(b), again.get(b), "same seed and epoch, same images");
            assertArrayEquals(e1.get(b), resumed.get(b), "a resumed epoch sees the same images");
            changed |= !Arrays.equals(plain.get(b), e0.get(b));
            // The examples come in the unaugmented order: each image's largest value names it.
            int d = 2 * SIDE * SIDE;
            for (int r = 0; r < plain.get(b).length / d; r++) {
                assertEquals((int) (max(plain.get(b), r * d, d) / 1000), (int) (max(e0.get(b), r * d, d) / 1000));
            }
        }
        assertTrue(changed, "augmentation changed nothing");
        assertFalse(Arrays.deepEquals(e0.toArray(), e1.toArray()), "every epoch draws anew");
    }

    private static float max(float[] v, int from, int len) {
        float m = 0;
        for (int i = from; i < from + len; i++) {
            m = Math.max(m, v[i]);
        }
        return m;
    }

    @Test
    void tablesCannotBeAugmented() {
        Dataset table = Dataset.tabular("t", new float[] {1, 2}, new int[] {0}, 1, 2, null);
        KeiryoException e = assertThrows(
                KeiryoException.class,
                () -> ArrayDataSetIterator.builder(table).augmentation(new Augmentation(true, true)));
        assertTrue(e.getMessage().contains("set data.augment to none"), e.getMessage());
    }
}
