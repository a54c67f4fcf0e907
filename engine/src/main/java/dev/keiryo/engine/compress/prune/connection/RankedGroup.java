package dev.keiryo.engine.compress.prune.connection;

import java.util.Arrays;
import java.util.List;

/**
 * Weights that compete for pruning together (all included weights for a global target, one layer's
 * for a per-layer one), sorted by magnitude once so any target is then a prefix of the order.
 *
 * <p>Sorting instead of a percentile cut-off: with ties (already-pruned zeros, repeated values) a
 * cut-off prunes all or none of the tied weights and can miss the target by far, while a prefix of
 * the sort prunes exactly round(s * n), breaking ties by position so the result is repeatable.
 * Weights whose existing mask is 0 sort first and are always pruned, whatever the target.
 */
final class RankedGroup {
    private static final long LOW_32 = 0xFFFF_FFFFL;

    /** Keep masks (1 = keep, 0 = prune) in logical 'c' order, one per array, and each one's pruned count. */
    record Selection(float[][] keep, long[] pruned) {}

    // Key = magnitude bits (monotone in |w| for non-negative floats) plus one, so already-pruned
    // weights (field 0) sort before any real weight, even a zero one; the low 32 bits are the position.
    private final long[] keys;
    /** Each position's place in {@code keys}: a selection is then one sequential pass, not a scatter. */
    private final int[] rankOf;

    private final int forced;
    private final int[] starts;
    private final int[] sizes;

    private RankedGroup(long[] keys, int forced, int[] starts, int[] sizes) {
        this.keys = keys;
        this.rankOf = new int[keys.length];
        for (int r = 0; r < keys.length; r++) {
            rankOf[(int) (keys[r] & LOW_32)] = r;
        }
        this.forced = forced;
        this.starts = starts;
        this.sizes = sizes;
    }

    /** {@code values} and {@code existing} (each array's current mask, or null) in logical 'c' order. */
    static RankedGroup of(List<float[]> values, List<float[]> existing) {
        int[] starts = new int[values.size()];
        int[] sizes = new int[values.size()];
        int n = 0;
        for (int a = 0; a < values.size(); a++) {
            starts[a] = n;
            sizes[a] = values.get(a).length;
            n = Math.addExact(n, sizes[a]);
        }
        long[] keys = new long[n];
        int forced = 0;
        for (int a = 0; a < values.size(); a++) {
            float[] v = values.get(a);
            float[] e = existing.get(a);
            for (int j = 0; j < v.length; j++) {
                boolean pruned = e != null && e[j] == 0f;
                long bits = pruned ? 0 : (long) Float.floatToRawIntBits(Math.abs(v[j])) + 1;
                forced += pruned ? 1 : 0;
                keys[starts[a] + j] = (bits << 32) | (starts[a] + j);
            }
        }
        Arrays.sort(keys);
        return new RankedGroup(keys, forced, starts, sizes);
    }

    int size() {
        return keys.length;
    }

    /** How many to prune for a sparsity target: round(s * n), but never fewer than are already pruned. */
    int countForSparsity(double sparsity) {
        return (int) Math.max(forced, Math.min(keys.length, Math.round(sparsity * keys.length)));
    }

    /** How many have |w| strictly below {@code threshold}, plus those already pruned. */
    int countBelow(double threshold) {
        float t = (float) threshold;
        // The smallest float >= threshold: |w| < threshold exactly when |w| < it.
        if (t < threshold) {
            t = Math.nextUp(t);
        }
        long bound = ((long) Float.floatToRawIntBits(t) + 1) << 32;
        int r = Arrays.binarySearch(keys, bound);
        return Math.max(forced, r >= 0 ? r : -r - 1);
    }

    /** The smallest kept |w| when the first {@code count} are pruned; infinity when none is kept. */
    double cutoff(int count) {
        // Already-pruned keys all sort before `count`, so the first kept key is a real magnitude.
        return count < keys.length ? Float.intBitsToFloat((int) ((keys[count] >>> 32) - 1)) : Double.POSITIVE_INFINITY;
    }

    Selection select(int count) {
        float[][] keep = new float[sizes.length][];
        long[] pruned = new long[sizes.length];
        for (int a = 0; a < keep.length; a++) {
            float[] k = new float[sizes[a]];
            long cut = 0;
            for (int j = 0, p = starts[a]; j < k.length; j++, p++) {
                boolean kept = rankOf[p] >= count;
                k[j] = kept ? 1f : 0f;
                cut += kept ? 0 : 1;
            }
            keep[a] = k;
            pruned[a] = cut;
        }
        return new Selection(keep, pruned);
    }
}
