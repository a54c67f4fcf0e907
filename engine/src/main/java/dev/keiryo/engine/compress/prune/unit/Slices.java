package dev.keiryo.engine.compress.prune.unit;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Gathers index subsets of an array along one axis, into a new 'c'-ordered array. */
final class Slices {
    private Slices() {}

    static INDArray take(INDArray a, int[][] keepsPerAxis) {
        INDArray out = a;
        for (int axis = 0; axis < keepsPerAxis.length; axis++) {
            if (keepsPerAxis[axis] != null) {
                out = take(out, axis, keepsPerAxis[axis]);
            }
        }
        return out == a ? a.dup('c') : out;
    }

    /**
     * Moves {@code axis} to the front, gathers rows of the 2D view and moves it back: one code
     * path for any rank and any source ordering (dense W is 'f', conv W is 'c').
     */
    static INDArray take(INDArray a, int axis, int[] keep) {
        int rank = a.rank();
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[0] = axis;
        perm[axis] = 0;
        INDArray front = a.permute(perm).dup('c');
        long[] shape = front.shape();
        long rest = shape[0] == 0 ? 0 : front.length() / shape[0];
        // One native gather: getRows() ran a put per kept row, and the pruning preview shrinks a network per slider
        // position.
        INDArray rows = keep.length == 0
                ? front.reshape('c', shape[0], rest).getRows(keep)
                : Nd4j.pullRows(front.reshape('c', shape[0], rest), 1, keep, 'c');
        long[] picked = shape.clone();
        picked[0] = keep.length;
        return rows.reshape('c', picked).permute(perm).dup('c');
    }
}
