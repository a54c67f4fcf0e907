package dev.keiryo.engine.job;

import dev.keiryo.engine.data.Dataset;
import java.util.Random;

/** A seeded random subset, for quick runs on part of a large training set. */
final class Subsets {
    private Subsets() {}

    static Dataset seeded(Dataset data, int n, long seed) {
        int[] idx = new int[data.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            int j = i + r.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] pick = java.util.Arrays.copyOf(idx, n);
        java.util.Arrays.sort(pick);
        return data.subset(pick);
    }
}
