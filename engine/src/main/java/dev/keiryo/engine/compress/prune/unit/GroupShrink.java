package dev.keiryo.engine.compress.prune.unit;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.model.ChannelGroups;
import dev.keiryo.engine.model.Layers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Removes channels from coupled channel groups of a graph ({@link ChannelGroups}) and returns a
 * really smaller network: each producer of a group loses the same output channels, its batch norms
 * the same entries, and each consumer the same input channels, so residual sums still add like with
 * like. Consumers may be convolutions, or dense layers behind global pooling; a dense layer behind a
 * flattening preprocessor is refused (the chain's unit pruning handles that case for chains).
 */
public final class GroupShrink {
    private GroupShrink() {}

    /**
     * A new, smaller network; {@code net} is unchanged, and the new one starts a fresh training run.
     *
     * @param kept for one producer of each group to shrink, the channel indices to keep (sorted)
     */
    public static ComputationGraph shrink(ComputationGraph net, Map<String, int[]> kept) {
        ComputationGraphConfiguration conf = net.getConfiguration().clone();
        Map<String, int[]> outputs = new HashMap<>();
        Map<String, int[]> inputs = new HashMap<>();
        for (Map.Entry<String, int[]> e : kept.entrySet()) {
            ChannelGroups.Group g = ChannelGroups.of(conf, e.getKey());
            if (g.fromInput()) {
                throw new KeiryoException("the channels of '" + e.getKey() + "' are added to the network input, whose"
                        + " channels are the data's; leave this group out.");
            }
            for (String p : g.producers()) {
                outputs.put(p, e.getValue());
            }
            for (String t : g.through()) {
                if (layer(conf, t) instanceof BatchNormalization) {
                    outputs.put(t, e.getValue());
                }
            }
            for (String c : g.consumers()) {
                Layer l = layer(conf, c);
                boolean flattened = ((LayerVertex) conf.getVertices().get(c)).getPreProcessor() != null
                        && !(l instanceof ConvolutionLayer);
                if (flattened && !reachedThroughGlobalPooling(conf, g, c)) {
                    throw new KeiryoException("layer '" + c + "' reads the channels of '" + e.getKey()
                            + "' flattened; shrinking that is not supported for graphs yet.");
                }
                inputs.put(c, e.getValue());
            }
        }
        for (Map.Entry<String, int[]> e : outputs.entrySet()) {
            FeedForwardLayer l = (FeedForwardLayer) layer(conf, e.getKey());
            l.setNOut(e.getValue().length);
            if (l instanceof BatchNormalization) {
                l.setNIn(e.getValue().length);
            }
        }
        for (Map.Entry<String, int[]> e : inputs.entrySet()) {
            ((FeedForwardLayer) layer(conf, e.getKey())).setNIn(e.getValue().length);
        }
        conf.setIterationCount(0);
        conf.setEpochCount(0);
        ComputationGraph small = new ComputationGraph(conf);
        small.init();
        for (String name : Layers.names(small)) {
            for (Map.Entry<String, INDArray> p :
                    small.getLayer(name).paramTable().entrySet()) {
                INDArray from = net.getLayer(name).getParam(p.getKey());
                from = select(from, p.getKey(), outputs.get(name), inputs.get(name));
                if (!java.util.Arrays.equals(from.shape(), p.getValue().shape())) {
                    throw new IllegalStateException("parameter " + name + "_" + p.getKey() + " came out "
                            + java.util.Arrays.toString(from.shape()) + ", expected "
                            + java.util.Arrays.toString(p.getValue().shape()));
                }
                p.getValue().assign(from);
            }
        }
        return small;
    }

    private static boolean reachedThroughGlobalPooling(
            ComputationGraphConfiguration conf, ChannelGroups.Group g, String consumer) {
        List<String> in = conf.getVertexInputs().get(consumer);
        return in.size() == 1
                && g.through().contains(in.get(0))
                && layer(conf, in.get(0)) instanceof GlobalPoolingLayer;
    }

    private static Layer layer(ComputationGraphConfiguration conf, String vertex) {
        return ((LayerVertex) conf.getVertices().get(vertex)).getLayerConf().getLayer();
    }

    /** The kept slice of one parameter: output channels of weights and per-channel vectors, input channels of weights. */
    private static INDArray select(INDArray p, String key, int[] out, int[] in) {
        INDArray r = p;
        if ("W".equals(key)) {
            // conv W [out, in, kH, kW]; dense W [in, out]
            int outAxis = r.rank() == 4 ? 0 : 1;
            int inAxis = r.rank() == 4 ? 1 : 0;
            if (out != null) {
                r = take(r, outAxis, out);
            }
            if (in != null) {
                r = take(r, inAxis, in);
            }
            return r;
        }
        // biases and batch-norm vectors: one value per output channel, along the last axis
        return out == null ? r : take(r, r.rank() - 1, out);
    }

    private static INDArray take(INDArray a, int axis, int[] keep) {
        INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
        for (int d = 0; d < idx.length; d++) {
            idx[d] = d == axis ? NDArrayIndex.indices(toLong(keep)) : NDArrayIndex.all();
        }
        return a.get(idx).dup();
    }

    private static long[] toLong(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            l[i] = a[i];
        }
        return l;
    }
}
