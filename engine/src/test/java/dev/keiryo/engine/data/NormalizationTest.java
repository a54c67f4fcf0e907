package dev.keiryo.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keiryo.engine.api.KeiryoException;
import java.util.List;
import org.junit.jupiter.api.Test;

class NormalizationTest {
    private static Dataset rows(float[][] r, int classes) {
        int d = r[0].length;
        float[] f = new float[r.length * d];
        for (int i = 0; i < r.length; i++) {
            System.arraycopy(r[i], 0, f, i * d, d);
        }
        return Dataset.tabular("t", f, new int[r.length], classes, d, null);
    }

    @Test
    void standardizeUsesTrainingStatisticsOnly() {
        Dataset train = rows(new float[][] {{1, 5}, {3, 5}}, 1);
        Dataset test = rows(new float[][] {{100, 7}}, 1);
        Normalizer n = Normalizer.fit(Normalizer.Kind.STANDARDIZE, train);
        assertArrayEquals(new float[] {2, 5}, n.mean());
        // Constant feature: std 1, not 0, so it maps to 0 instead of NaN.
        assertArrayEquals(new float[] {1, 1}, n.std());
        assertArrayEquals(new float[] {98, 2}, n.apply(test.row(0)));
        assertArrayEquals(new float[] {-1, 0, 1, 0}, n.apply(train.features()));
    }

    @Test
    void scaleDividesImagesBy255AndTablesByMax() {
        Dataset image = new Dataset("i", new float[] {0, 51, 102, 0}, new int[] {0}, 1, 1, 2, 2, null);
        assertEquals(255f, Normalizer.fit("scale", image).divisor());
        Dataset table = rows(new float[][] {{-8, 2}}, 1);
        Normalizer n = Normalizer.fit("scale", table);
        assertArrayEquals(new float[] {-1, 0.25f}, n.apply(new float[] {-8, 2}));
    }

    /** Two 2x1 images of two channels: channel 0 holds 0, 2, 4, 6, channel 1 holds 10 throughout. */
    private static Dataset twoChannelImages() {
        return new Dataset("c", new float[] {0, 2, 10, 10, 4, 6, 10, 10}, new int[] {0, 0}, 1, 2, 2, 1, null);
    }

    @Test
    void perChannelPoolsEveryPixelOfAChannel() {
        Normalizer n = Normalizer.fit(Normalizer.Kind.PER_CHANNEL, twoChannelImages());
        assertEquals(Normalizer.Kind.PER_CHANNEL, Normalizer.Kind.parse("per-channel"));
        assertArrayEquals(new float[] {3, 10}, n.mean());
        float sd = (float) Math.sqrt(5);
        assertArrayEquals(new float[] {sd, 1}, n.std(), 1e-6f, "a constant channel gets std 1");
        assertEquals(4, n.featureCount());
        float[] out = n.apply(new float[] {3, 3 + sd, 10, 12});
        assertArrayEquals(new float[] {0, 1, 0, 2}, out, 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> n.apply(new float[] {1, 2, 3}));
    }

    @Test
    void noneLeavesValues() {
        float[] v = {3, 4};
        assertArrayEquals(v, Normalizer.none().apply(v));
    }

    @Test
    void applyDoesNotTouchItsInput() {
        float[] v = {10, 20};
        Normalizer.scale(10).apply(v);
        assertArrayEquals(new float[] {10, 20}, v);
    }

    @Test
    void jacksonRoundTrip() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (Normalizer n : List.of(
                Normalizer.none(),
                Normalizer.scale(255),
                Normalizer.fit("standardize", rows(new float[][] {{1, 2}, {3, 7}}, 1)),
                Normalizer.fit("per-channel", twoChannelImages()))) {
            String text = json.writeValueAsString(n);
            assertEquals(n, json.readValue(text, Normalizer.class), text);
        }
        String text = json.writeValueAsString(Normalizer.scale(255));
        assertTrue(text.contains("\"kind\":\"scale\""), text);
        assertTrue(!text.contains("mean"), text);
    }

    @Test
    void invalidParametersAreRejected() {
        assertThrows(KeiryoException.class, () -> Normalizer.scale(0));
        assertThrows(
                KeiryoException.class,
                () -> new Normalizer(Normalizer.Kind.STANDARDIZE, 1, new float[] {0}, new float[] {0}, null));
        assertThrows(KeiryoException.class, () -> Normalizer.Kind.parse("minmax"));
    }
}
