package dev.keiryo.engine.compress.prune.unit;

import java.util.Map;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;

/**
 * What one layer keeps when some units are removed: the indices of its input rows or channels
 * ({@code inKeep}) and of its output units ({@code outKeep}), null meaning "all", plus the
 * replacement for its input preprocessor when the channels it flattens change.
 *
 * <p>One walk over the layers computes this for the parameter counts of a plan and for the shrink
 * itself, so the two cannot disagree.
 */
record LayerResize(int[] inKeep, int[] outKeep, long oldOut, InputPreProcessor preProcessor) {

    static LayerResize[] of(MultiLayerConfiguration conf, Map<Integer, int[]> keptByLayer) {
        int n = UnitTopology.size(conf);
        LayerResize[] out = new LayerResize[n];
        int[] flow = null;
        for (int j = 0; j < n; j++) {
            InputPreProcessor pre = conf.getInputPreProcess(j);
            InputPreProcessor newPre = null;
            if (flow != null && pre instanceof CnnToFeedForwardPreProcessor c) {
                newPre = new CnnToFeedForwardPreProcessor(
                        c.getInputHeight(), c.getInputWidth(), flow.length, c.getFormat());
                flow = flattened(flow, c.getInputHeight() * c.getInputWidth());
            } else if (flow != null && pre != null) {
                throw new IllegalStateException("cannot resize through " + pre + " at layer " + j);
            }
            Layer l = UnitTopology.layer(conf, j);
            long oldOut = l instanceof FeedForwardLayer f ? f.getNOut() : 0;
            if (UnitTopology.isDense(l) || UnitTopology.isConv(l)) {
                int[] keep = keptByLayer.get(j);
                out[j] = new LayerResize(flow, keep, oldOut, newPre);
                flow = keep;
            } else {
                out[j] = new LayerResize(flow, flow, oldOut, newPre);
            }
        }
        return out;
    }

    /**
     * Rows of a dense layer fed by flattened NCHW activations that belong to the kept channels:
     * DL4J flattens in 'c' order, so channel c owns rows {@code c*H*W .. c*H*W + H*W - 1}.
     */
    static int[] flattened(int[] channels, long hw) {
        int[] rows = new int[Math.toIntExact(channels.length * hw)];
        int k = 0;
        for (int c : channels) {
            for (long p = 0; p < hw; p++) {
                rows[k++] = Math.toIntExact(c * hw + p);
            }
        }
        return rows;
    }

    /** Applies the new sizes to a cloned configuration's layer; layers without nIn/nOut are left alone. */
    void applyTo(Layer l) {
        if (l instanceof FeedForwardLayer f) {
            if (inKeep != null && !(l instanceof BatchNormalization)) {
                f.setNIn(inKeep.length);
            }
            if (outKeep != null) {
                f.setNOut(outKeep.length);
                if (l instanceof BatchNormalization) {
                    f.setNIn(outKeep.length);
                }
            }
        }
    }

    /**
     * For each axis of parameter {@code key}, the indices to keep (null = all). Weight matrices are
     * special ({@code W [nIn, nOut]} dense, {@code W [nOut, nIn, kH, kW]} conv); every other
     * parameter (bias, batch norm's gamma/beta/mean/log10stdev or var, layer norm's gain) is one
     * value per output unit, whatever DL4J names it.
     */
    int[][] keepsPerAxis(Layer l, String key, long[] shape) {
        int[][] keeps = new int[shape.length][];
        if ("W".equals(key) && UnitTopology.isDense(l) && shape.length == 2) {
            keeps[0] = inKeep;
            keeps[1] = outKeep;
            return keeps;
        }
        if ("W".equals(key) && UnitTopology.isConv(l) && shape.length == 4) {
            keeps[0] = outKeep;
            keeps[1] = inKeep;
            return keeps;
        }
        if (outKeep == null) {
            return keeps;
        }
        for (int a = shape.length - 1; a >= 0; a--) {
            if (shape[a] == oldOut) {
                keeps[a] = outKeep;
                return keeps;
            }
        }
        throw new IllegalStateException("parameter " + key + " of " + l.getLayerName() + " has shape "
                + java.util.Arrays.toString(shape) + ", not one value per unit (" + oldOut + ")");
    }

    long[] newShape(Layer l, String key, long[] shape) {
        int[][] keeps = keepsPerAxis(l, key, shape);
        long[] s = shape.clone();
        for (int a = 0; a < s.length; a++) {
            if (keeps[a] != null) {
                s[a] = keeps[a].length;
            }
        }
        return s;
    }
}
