package dev.keiryo.engine.bench;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.data.DataBundle;
import dev.keiryo.engine.data.Dataset;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Seeded random images of a given shape, for timing models on inputs no data set here has (CIFAR's
 * 3x32x32 cannot be downloaded); PyTorch's peer benchmark makes the same kind with data=colour32.
 */
final class SyntheticImages {
    static final int TRAIN = 10_000;
    static final int TEST = 2_000;
    static final int CLASSES = 10;

    private SyntheticImages() {}

    /** @param shape {@code CxHxW}, e.g. {@code 3x32x32} */
    static DataBundle bundle(String shape, long seed) {
        String[] p = shape.toLowerCase(Locale.ROOT).split("x", -1);
        int[] chw = new int[3];
        try {
            if (p.length != 3) {
                throw new NumberFormatException(shape);
            }
            for (int i = 0; i < 3; i++) {
                chw[i] = Integer.parseInt(p[i].strip());
                if (chw[i] < 1 || chw[i] > (i == 0 ? 4 : 1024)) {
                    throw new NumberFormatException(shape);
                }
            }
        } catch (NumberFormatException e) {
            throw new KeiryoException("--synthetic must be channels x height x width, e.g. 3x32x32, with 1..4"
                    + " channels and sides of 1..1024 (was '" + shape + "').");
        }
        SplittableRandom r = new SplittableRandom(seed);
        String name = "synthetic-" + chw[0] + "x" + chw[1] + "x" + chw[2];
        return new DataBundle(
                images(name + "-train", TRAIN, chw, r), images(name + "-test", TEST, chw, r), name + " (random)");
    }

    private static Dataset images(String name, int n, int[] chw, SplittableRandom r) {
        int d = chw[0] * chw[1] * chw[2];
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(256);
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(CLASSES);
        }
        return new Dataset(name, x, y, CLASSES, chw[0], chw[1], chw[2], List.of());
    }
}
