package dev.keiryo.engine.compress.pack;

import java.util.Arrays;

/**
 * Deterministic 1-D k-means (Lloyd) as Deep Compression uses for weight sharing: centroids start
 * evenly spaced between min and max (linear initialisation keeps the rare large weights represented,
 * which matter most), then a fixed number of iterations. In one dimension each cluster is a run of
 * the sorted values, so an iteration is k binary searches plus prefix sums instead of n x k work.
 */
public final class KMeans1D {
    /** Iterations Deep Compression-style sharing converges in for weight distributions. */
    public static final int ITERATIONS = 20;

    private KMeans1D() {}

    /** {@code k} ascending float centroids for {@code values}; all zero when there are no values. */
    public static float[] centroids(float[] values, int k) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        float[] c = new float[k];
        if (sorted.length == 0) {
            return c;
        }
        double[] prefix = new double[sorted.length + 1];
        for (int i = 0; i < sorted.length; i++) {
            prefix[i + 1] = prefix[i] + sorted[i];
        }
        double lo = sorted[0];
        double hi = sorted[sorted.length - 1];
        double[] m = new double[k];
        for (int j = 0; j < k; j++) {
            m[j] = k == 1 ? (lo + hi) / 2 : lo + (hi - lo) * j / (k - 1);
        }
        for (int it = 0; it < ITERATIONS; it++) {
            int start = 0;
            for (int j = 0; j < k; j++) {
                // A value goes to the nearer centroid; ties go to the lower one, as in assign().
                int end = j == k - 1 ? sorted.length : upperBound(sorted, (m[j] + m[j + 1]) / 2, start);
                if (end > start) {
                    m[j] = (prefix[end] - prefix[start]) / (end - start);
                }
                start = end;
            }
        }
        for (int j = 0; j < k; j++) {
            c[j] = (float) m[j];
        }
        Arrays.sort(c);
        return c;
    }

    /** Index of the nearest of the ascending {@code centroids}; ties go to the lower index. */
    public static int nearest(float v, float[] centroids) {
        int i = Arrays.binarySearch(centroids, v);
        if (i >= 0) {
            while (i > 0 && centroids[i - 1] == v) {
                i--;
            }
            return i;
        }
        int hi = -i - 1;
        if (hi == 0) {
            return 0;
        }
        if (hi == centroids.length) {
            return centroids.length - 1;
        }
        int lo = hi - 1;
        while (lo > 0 && centroids[lo - 1] == centroids[lo]) {
            lo--;
        }
        return (double) v - centroids[lo] <= (double) centroids[hi] - v ? lo : hi;
    }

    /** First index at or after {@code from} whose value is above {@code x}. */
    private static int upperBound(float[] a, double x, int from) {
        int lo = from;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
