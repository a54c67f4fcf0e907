package dev.keiryo.engine.data;

import dev.keiryo.engine.api.KeiryoException;
import java.util.Arrays;
import java.util.Random;

/**
 * Seeded, stratified hold-out splits. Stratifying keeps every class's share the same on both sides,
 * which matters for the small data sets where a plain random cut can starve a class.
 */
public final class Splits {
    /** Ascending example indices on each side; disjoint, together covering the data set. */
    public record IndexSplit(int[] train, int[] validation) {}

    public record DatasetSplit(Dataset train, Dataset validation) {}

    private Splits() {}

    /** Splits into two data sets named "&lt;name&gt;-train" and "&lt;name&gt;-validation". */
    public static DatasetSplit split(Dataset data, double validationFraction, long seed) {
        IndexSplit s = indices(data, validationFraction, seed);
        return new DatasetSplit(
                data.subset(s.train(), data.name() + "-train"),
                data.subset(s.validation(), data.name() + "-validation"));
    }

    /**
     * Picks round(N x fraction) examples for validation, allotting each class its proportional
     * share (largest remainders settle the rounding) and choosing within a class by a seeded
     * shuffle, so the same seed always gives the same split.
     *
     * @param validationFraction in [0, 1); 0 gives an empty validation side
     */
    public static IndexSplit indices(Dataset data, double validationFraction, long seed) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new KeiryoException("The validation fraction is " + validationFraction
                    + " but must be at least 0 and below 1; use e.g. 0.1 for 10%.");
        }
        int n = data.size();
        int target = (int) Math.round(n * validationFraction);
        if (target >= n && n > 0) {
            throw new KeiryoException("A validation fraction of " + validationFraction + " leaves no "
                    + "training examples out of " + n + " in " + data.name() + "; use a smaller fraction.");
        }
        int[] quota = quotas(data.classCounts(), n, target);
        int[][] byClass = indicesByClass(data);
        Random random = new Random(seed);
        boolean[] held = new boolean[n];
        for (int k = 0; k < byClass.length; k++) {
            int[] members = byClass[k];
            shuffle(members, random);
            for (int j = 0; j < quota[k]; j++) {
                held[members[j]] = true;
            }
        }
        int[] train = new int[n - target];
        int[] validation = new int[target];
        for (int i = 0, t = 0, v = 0; i < n; i++) {
            if (held[i]) {
                validation[v++] = i;
            } else {
                train[t++] = i;
            }
        }
        return new IndexSplit(train, validation);
    }

    /** Per-class hold-out counts summing to exactly {@code target}. */
    private static int[] quotas(int[] counts, int n, int target) {
        int[] quota = new int[counts.length];
        double[] remainder = new double[counts.length];
        int assigned = 0;
        for (int k = 0; k < counts.length; k++) {
            double exact = n == 0 ? 0 : (double) counts[k] * target / n;
            quota[k] = (int) Math.floor(exact);
            remainder[k] = exact - quota[k];
            assigned += quota[k];
        }
        Integer[] order = new Integer[counts.length];
        Arrays.setAll(order, k -> k);
        // Ties go to the lower class index so the result does not depend on sort stability.
        Arrays.sort(
                order,
                (a, b) -> remainder[a] != remainder[b]
                        ? Double.compare(remainder[b], remainder[a])
                        : Integer.compare(a, b));
        for (int j = 0; assigned < target; j = (j + 1) % counts.length) {
            int k = order[j];
            if (quota[k] < counts[k]) {
                quota[k]++;
                assigned++;
            }
        }
        return quota;
    }

    private static int[][] indicesByClass(Dataset data) {
        int[] counts = data.classCounts();
        int[][] out = new int[counts.length][];
        for (int k = 0; k < counts.length; k++) {
            out[k] = new int[counts[k]];
        }
        int[] fill = new int[counts.length];
        for (int i = 0; i < data.size(); i++) {
            int k = data.label(i);
            out[k][fill[k]++] = i;
        }
        return out;
    }

    /** Fisher-Yates; java.util.Random's sequence is specified, so orders match across JVMs. */
    static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
