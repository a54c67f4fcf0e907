package dev.keiryo.engine.compress.prune.unit;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.model.ChannelGroups;
import dev.keiryo.engine.model.Layers;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Removes channels from coupled channel groups of a graph ({@link ChannelGroups}) and returns a
 * really smaller network: each producer of a group loses the same output channels, its batch norms
 * the same entries, and each consumer the same input channels, so residual sums still add like with
 * like. Consumers may be convolutions, dense layers behind global pooling (one feature per channel)
 * or dense layers behind a flatten of H x W positions (H*W features per channel).
 *
 * <p>Not {@code TransferLearning.nOutReplace}: it re-initialises the edited and the next layer
 * (kept weights are lost) and does not fix a dense layer behind a pooling layer.
 */
public final class GroupShrink {
    private GroupShrink() {}

    /**
     * What every changed layer keeps: its output channels ({@code outputs}) and its input rows or
     * channels ({@code inputs}), plus the replacement flatten preprocessors. One computation serves
     * the parameter counts of a plan and the shrink itself, so the two cannot disagree.
     */
    record Resize(Map<String, int[]> outputs, Map<String, int[]> inputs, Map<String, InputPreProcessor> flattens) {

        static Resize of(ComputationGraphConfiguration conf, Map<String, int[]> kept) {
            UnitGroups groups = new UnitGroups(conf);
            Map<String, int[]> outputs = new HashMap<>();
            Map<String, int[]> inputs = new HashMap<>();
            Map<String, InputPreProcessor> flattens = new HashMap<>();
            for (Map.Entry<String, int[]> e : kept.entrySet()) {
                ChannelGroups.Group g = groups.groupOf(e.getKey());
                if (g == null) {
                    throw new IllegalArgumentException(e.getKey() + " is not a convolution or hidden dense layer");
                }
                String why = groups.whyNot(e.getKey());
                if (why != null) {
                    throw new KeiryoException(why + "; leave this group out.");
                }
                int[] keep = e.getValue();
                for (String p : g.producers()) {
                    outputs.put(p, keep);
                }
                for (String t : g.through()) {
                    if (groups.layer(t) instanceof BatchNormalization) {
                        outputs.put(t, keep);
                    }
                }
                for (String c : g.consumers()) {
                    if (groups.preProcessor(c) instanceof CnnToFeedForwardPreProcessor f) {
                        long hw = f.getInputHeight() * f.getInputWidth();
                        inputs.put(c, flattened(keep, hw));
                        flattens.put(
                                c,
                                new CnnToFeedForwardPreProcessor(
                                        f.getInputHeight(), f.getInputWidth(), keep.length, f.getFormat()));
                    } else {
                        inputs.put(c, keep);
                    }
                }
            }
            return new Resize(outputs, inputs, flattens);
        }

        /** The parameter count of layer {@code name} after the resize. */
        long parameters(ComputationGraph net, String name) {
            long n = 0;
            for (Map.Entry<String, INDArray> p : net.getLayer(name).paramTable().entrySet()) {
                long[] shape = p.getValue().shape();
                int[][] keeps = keeps(shape.length, p.getKey(), outputs.get(name), inputs.get(name));
                long size = 1;
                for (int a = 0; a < shape.length; a++) {
                    size *= keeps[a] == null ? shape[a] : keeps[a].length;
                }
                n += size;
            }
            return n;
        }
    }

    /**
     * A new, smaller network; {@code net} is unchanged. Layer names, activations, updater settings,
     * regularization and constraints stay as they were; updater state, counters and listeners do not
     * carry over, so the new one starts a fresh training run.
     *
     * @param kept for one producer of each group to shrink, the channel indices to keep (sorted)
     */
    public static ComputationGraph shrink(ComputationGraph net, Map<String, int[]> kept) {
        ComputationGraphConfiguration conf = net.getConfiguration().clone();
        Resize r = Resize.of(conf, kept);
        for (Map.Entry<String, int[]> e : r.outputs().entrySet()) {
            FeedForwardLayer l = (FeedForwardLayer) layer(conf, e.getKey());
            l.setNOut(e.getValue().length);
            if (l instanceof BatchNormalization) {
                l.setNIn(e.getValue().length);
            }
        }
        for (Map.Entry<String, int[]> e : r.inputs().entrySet()) {
            ((FeedForwardLayer) layer(conf, e.getKey())).setNIn(e.getValue().length);
        }
        for (Map.Entry<String, InputPreProcessor> e : r.flattens().entrySet()) {
            ((LayerVertex) conf.getVertices().get(e.getKey())).setPreProcessor(e.getValue());
        }
        // A fresh updater must also restart the counters: Adam's bias correction and learning rate
        // schedules read the iteration count, and with a stale large count the first steps of
        // fine-tuning would skip the bias correction (about 3x larger steps for Adam's defaults).
        conf.setIterationCount(0);
        conf.setEpochCount(0);
        long count = 0;
        Map<String, Long> perLayer = new LinkedHashMap<>();
        for (String name : Layers.names(net)) {
            perLayer.put(name, r.parameters(net, name));
            count += perLayer.get(name);
        }
        ComputationGraph small = new ComputationGraph(conf);
        // Every parameter is overwritten below, so the random initialisation init() would do is skipped:
        // the pruning preview shrinks a network for every slider position.
        small.init(Nd4j.create(net.params().dataType(), 1, count), false);
        for (String name : Layers.names(small)) {
            for (Map.Entry<String, INDArray> p :
                    small.getLayer(name).paramTable().entrySet()) {
                INDArray from = net.getLayer(name).getParam(p.getKey());
                INDArray slice = Slices.take(
                        from,
                        keeps(
                                from.rank(),
                                p.getKey(),
                                r.outputs().get(name),
                                r.inputs().get(name)));
                if (!Arrays.equals(slice.shape(), p.getValue().shape())) {
                    throw new IllegalStateException("parameter " + name + "_" + p.getKey() + " came out "
                            + Arrays.toString(slice.shape()) + ", expected "
                            + Arrays.toString(p.getValue().shape()));
                }
                p.getValue().assign(slice);
            }
        }
        return small;
    }

    private static Layer layer(ComputationGraphConfiguration conf, String vertex) {
        return ((LayerVertex) conf.getVertices().get(vertex)).getLayerConf().getLayer();
    }

    /**
     * For each axis of parameter {@code key}, the indices to keep (null = all): output channels of
     * weights and per-channel vectors, input channels or rows of weights. Conv {@code W [out, in, kH,
     * kW]}, dense {@code W [in, out]}; biases and batch-norm vectors hold one value per output channel
     * along their last axis.
     */
    static int[][] keeps(int rank, String key, int[] out, int[] in) {
        int[][] k = new int[rank][];
        if ("W".equals(key)) {
            k[rank == 4 ? 0 : 1] = out;
            k[rank == 4 ? 1 : 0] = in;
        } else {
            k[rank - 1] = out;
        }
        return k;
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
}
