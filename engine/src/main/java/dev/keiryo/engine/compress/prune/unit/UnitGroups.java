package dev.keiryo.engine.compress.prune.unit;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.model.ChannelGroups;
import dev.keiryo.engine.model.GraphTopology;
import dev.keiryo.engine.model.Layers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;

/**
 * Which channel groups of a graph can lose units (a chain is a graph with one path, where every
 * group is one layer): the coupled groups of {@link ChannelGroups} whose producers, pass-through
 * vertices and consumers unit pruning knows how to slice. A group is named by any of its
 * producers; its key is its first producer.
 *
 * <p>Classes are matched exactly, not with {@code instanceof}: subclasses such as depthwise,
 * separable, 1D or transposed convolutions lay their weights out differently and would be sliced
 * wrongly. Everything here is NCHW: in NHWC the flatten order and the channel axis differ, and no
 * preset uses it.
 */
final class UnitGroups {
    private final ComputationGraphConfiguration conf;
    private final GraphTopology topology;
    private final List<ChannelGroups.Group> groups;
    private final List<String> layers;

    UnitGroups(ComputationGraphConfiguration conf) {
        this.conf = conf;
        this.topology = new GraphTopology(conf);
        this.groups = ChannelGroups.of(conf);
        this.layers = Layers.names(conf);
    }

    GraphTopology topology() {
        return topology;
    }

    List<String> layerNames() {
        return layers;
    }

    int indexOf(String layer) {
        return layers.indexOf(layer);
    }

    Layer layer(String vertex) {
        return topology.layer(vertex);
    }

    InputPreProcessor preProcessor(String vertex) {
        return conf.getVertices().get(vertex) instanceof LayerVertex lv ? lv.getPreProcessor() : null;
    }

    static String key(ChannelGroups.Group g) {
        return g.producers().get(0);
    }

    int units(ChannelGroups.Group g) {
        return Math.toIntExact(((FeedForwardLayer) layer(key(g))).getNOut());
    }

    /** The group {@code producer} belongs to, or null when it is no convolution or hidden dense layer. */
    ChannelGroups.Group groupOf(String producer) {
        for (ChannelGroups.Group g : groups) {
            if (g.producers().contains(producer)) {
                return g;
            }
        }
        return null;
    }

    /** The groups that can lose units, in network order. */
    List<ChannelGroups.Group> prunable() {
        return groups.stream().filter(g -> whyNot(key(g)) == null).toList();
    }

    /** Every producer of a prunable group, in layer order. */
    List<String> prunableNames() {
        List<String> out = new ArrayList<>();
        for (ChannelGroups.Group g : prunable()) {
            out.addAll(g.producers());
        }
        out.sort(Comparator.comparingInt(layers::indexOf));
        return out;
    }

    /**
     * The prunable group with member {@code n}; a {@link KeiryoException} says what is wrong
     * (unknown name, output layer, unsupported type or neighbour) and lists the layers that can be pruned.
     */
    ChannelGroups.Group requirePrunable(String n) {
        if (!layers.contains(n)) {
            throw new KeiryoException("unit pruning names layer '" + n + "', which this network does not have; its"
                    + " layers are " + layers + " and the prunable ones " + prunableNames() + ".");
        }
        String why = whyNot(n);
        if (why != null) {
            throw new KeiryoException(why + "; prune one of " + prunableNames() + " instead.");
        }
        return groupOf(n);
    }

    /**
     * Null when layer {@code n} (and with it its group) can lose units, else why not, as the start
     * of a sentence ("layer 'pool1' is a SubsamplingLayer, ...") for the caller to finish.
     */
    String whyNot(String n) {
        Layer l = layer(n);
        if (l instanceof BaseOutputLayer || conf.getNetworkOutputs().contains(n)) {
            return "layer '" + n + "' is the output layer, whose units are the classes, so it cannot lose units";
        }
        String own = whyNotProducer(n, l);
        if (own != null) {
            return own;
        }
        ChannelGroups.Group g = groupOf(n);
        if (g.fromInput()) {
            return "the channels of layer '" + n + "' are added to the network input, whose channels are the data's,"
                    + " so they cannot lose units";
        }
        for (String p : g.producers()) {
            String why = whyNotProducer(p, layer(p));
            if (why != null) {
                return "layer '" + n + "' is coupled with '" + p + "' by a residual sum, and " + why;
            }
        }
        for (String t : g.through()) {
            if (!isPassThrough(layer(t))) {
                return "layer '" + n + "' feeds '" + t + "', a " + type(t) + ", which unit pruning cannot resize";
            }
        }
        if (g.consumers().isEmpty()) {
            return "layer '" + n + "' has no layer with weights after it to resize";
        }
        for (String c : g.consumers()) {
            InputPreProcessor pre = preProcessor(c);
            if (pre != null && !(pre instanceof CnnToFeedForwardPreProcessor f && f.getFormat() == CNN2DFormat.NCHW)) {
                return "layer '" + n + "' reaches '" + c + "' through a "
                        + pre.getClass().getSimpleName() + ", which unit pruning cannot resize";
            }
            Layer next = layer(c);
            if (next == null || !(isDense(next) || isConv(next))) {
                return "layer '" + n + "' feeds '" + c + "', a " + type(c) + ", which unit pruning cannot resize";
            }
        }
        return null;
    }

    private static String whyNotProducer(String n, Layer l) {
        if (l != null && l.getClass() == ConvolutionLayer.class && !isConv(l)) {
            return "layer '" + n + "' uses the " + ((ConvolutionLayer) l).getCnn2dDataFormat()
                    + " data format, but unit pruning supports NCHW convolutions only";
        }
        if (l == null || (l.getClass() != DenseLayer.class && l.getClass() != ConvolutionLayer.class)) {
            return "layer '" + n + "' is a "
                    + (l == null ? "vertex" : l.getClass().getSimpleName())
                    + ", which unit pruning does not support (it removes units of DenseLayer and ConvolutionLayer"
                    + " layers)";
        }
        return null;
    }

    private String type(String vertex) {
        Layer l = layer(vertex);
        GraphVertex v = conf.getVertices().get(vertex);
        return l != null
                ? l.getClass().getSimpleName()
                : v == null ? "network output" : v.getClass().getSimpleName();
    }

    /** A layer whose units are columns of a dense {@code W [nIn, nOut]}. */
    static boolean isDense(Layer l) {
        return l.getClass() == DenseLayer.class || l.getClass() == OutputLayer.class;
    }

    /** A layer whose units are filters of {@code W[nOut, nIn, kH, kW]}. */
    static boolean isConv(Layer l) {
        return l.getClass() == ConvolutionLayer.class
                && ((ConvolutionLayer) l).getCnn2dDataFormat() == CNN2DFormat.NCHW;
    }

    /** Layers that keep each channel or feature apart, so units pass through them by index. */
    static boolean isPassThrough(Layer l) {
        return (l.getClass() == SubsamplingLayer.class
                        && ((SubsamplingLayer) l).getCnn2dDataFormat() == CNN2DFormat.NCHW)
                || l.getClass() == DropoutLayer.class
                || l.getClass() == ActivationLayer.class
                || l.getClass() == GlobalPoolingLayer.class
                || (l.getClass() == BatchNormalization.class
                        && ((BatchNormalization) l).getCnn2DFormat() == CNN2DFormat.NCHW);
    }

    /**
     * The vertex whose output shows layer {@code n}'s units after a real non-linearity: {@code n}
     * itself unless its activation is the identity, then the first activation layer with a
     * non-identity activation on the single path before anything that is not a pass-through layer
     * (a residual sum, the next layer with weights); null when there is none.
     *
     * <p>A batch norm's activation does not count: DL4J M2.1 accepts
     * {@code BatchNormalization.Builder().activation(RELU)} but never applies it (its output goes
     * negative; DL4J issue #4222 says batch norm is not meant to have one).
     */
    String activationSource(String n) {
        if (!isIdentity(layer(n))) {
            return n;
        }
        String v = n;
        while (topology.consumersOf(v).size() == 1) {
            v = topology.consumersOf(v).get(0);
            Layer l = layer(v);
            if (l == null || !isPassThrough(l) || preProcessor(v) != null) {
                return null;
            }
            if (l instanceof ActivationLayer && !isIdentity(l)) {
                return v;
            }
        }
        return null;
    }

    static boolean isIdentity(Layer l) {
        IActivation a = activation(l);
        return a == null || a instanceof ActivationIdentity;
    }

    static String activationName(Layer l) {
        IActivation a = activation(l);
        return a == null ? "identity" : a.toString();
    }

    private static IActivation activation(Layer l) {
        return l instanceof BaseLayer b
                ? b.getActivationFn()
                : l instanceof ActivationLayer al ? al.getActivationFn() : null;
    }
}
