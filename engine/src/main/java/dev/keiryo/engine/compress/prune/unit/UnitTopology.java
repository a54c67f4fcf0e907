package dev.keiryo.engine.compress.prune.unit;

import dev.keiryo.engine.api.KeiryoException;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;

/**
 * Which layers of a sequential network can lose units, and the path their output takes to the next
 * layer with weights (the "consumer", whose input rows or channels must shrink with them).
 *
 * <p>Classes are matched exactly, not with {@code instanceof}: subclasses such as depthwise,
 * separable, 1D or transposed convolutions lay their weights out differently and would be sliced
 * wrongly. Everything here is NCHW: in NHWC the flatten order and the channel axis differ, and no
 * preset uses it.
 */
final class UnitTopology {
    private UnitTopology() {}

    static int size(MultiLayerConfiguration conf) {
        return conf.getConfs().size();
    }

    static Layer layer(MultiLayerConfiguration conf, int i) {
        return conf.getConf(i).getLayer();
    }

    static String name(MultiLayerConfiguration conf, int i) {
        String n = layer(conf, i).getLayerName();
        return n == null ? String.valueOf(i) : n;
    }

    static String type(Layer l) {
        return l.getClass().getSimpleName();
    }

    static boolean isOutput(MultiLayerConfiguration conf, int i) {
        return i == size(conf) - 1 || layer(conf, i) instanceof BaseOutputLayer;
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

    static boolean isScorable(Layer l) {
        return isDense(l) || isConv(l);
    }

    /**
     * Null when layer {@code i} can lose units, else why not, as the start of a sentence
     * ("layer 'pool1' is a SubsamplingLayer, ...") for the caller to finish with what to do.
     */
    static String whyNotPrunable(MultiLayerConfiguration conf, int i) {
        Layer l = layer(conf, i);
        String n = name(conf, i);
        if (isOutput(conf, i)) {
            return "layer '" + n + "' is the output layer, whose units are the classes, so it cannot lose units";
        }
        if (l.getClass() == ConvolutionLayer.class && !isConv(l)) {
            return "layer '" + n + "' uses the " + ((ConvolutionLayer) l).getCnn2dDataFormat()
                    + " data format, but unit pruning supports NCHW convolutions only";
        }
        if (l.getClass() != DenseLayer.class && l.getClass() != ConvolutionLayer.class) {
            return "layer '" + n + "' is a " + type(l) + ", which unit pruning does not support (it removes units of"
                    + " DenseLayer and ConvolutionLayer layers)";
        }
        for (int j = i + 1; j < size(conf); j++) {
            InputPreProcessor pre = conf.getInputPreProcess(j);
            if (pre != null && !(pre instanceof CnnToFeedForwardPreProcessor c && c.getFormat() == CNN2DFormat.NCHW)) {
                return "layer '" + n + "' reaches '" + name(conf, j) + "' through a "
                        + pre.getClass().getSimpleName() + ", which unit pruning cannot resize";
            }
            Layer next = layer(conf, j);
            if (isDense(next) || isConv(next)) {
                return null;
            }
            if (!isPassThrough(next)) {
                return "layer '" + n + "' feeds '" + name(conf, j) + "', a " + type(next)
                        + ", which unit pruning cannot resize";
            }
        }
        return "layer '" + n + "' has no layer with weights after it to resize";
    }

    static List<Integer> prunable(MultiLayerConfiguration conf) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < size(conf); i++) {
            if (whyNotPrunable(conf, i) == null) {
                out.add(i);
            }
        }
        return out;
    }

    static List<String> prunableNames(MultiLayerConfiguration conf) {
        return prunable(conf).stream().map(i -> name(conf, i)).toList();
    }

    static List<String> names(MultiLayerConfiguration conf) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < size(conf); i++) {
            out.add(name(conf, i));
        }
        return out;
    }

    /**
     * Index of the prunable layer named {@code n}; a {@link KeiryoException} says what is wrong
     * (unknown name, output layer, unsupported type) and lists the layers that can be pruned.
     */
    static int requirePrunable(MultiLayerConfiguration conf, String n) {
        int i = indexOf(conf, n);
        if (i < 0) {
            throw new KeiryoException("unit pruning names layer '" + n + "', which this network does not have; its"
                    + " layers are " + names(conf) + " and the prunable ones " + prunableNames(conf) + ".");
        }
        String why = whyNotPrunable(conf, i);
        if (why != null) {
            throw new KeiryoException(why + "; prune one of " + prunableNames(conf) + " instead.");
        }
        return i;
    }

    /** Index of the layer with name {@code n}, or -1. */
    static int indexOf(MultiLayerConfiguration conf, String n) {
        for (int i = 0; i < size(conf); i++) {
            if (name(conf, i).equals(n)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The layer whose output shows layer {@code i}'s units after a real non-linearity: {@code i}
     * itself unless its activation is the identity, then the first activation layer with a
     * non-identity activation before the next layer with weights; -1 when there is none.
     *
     * <p>A batch norm's activation does not count: DL4J M2.1 accepts
     * {@code BatchNormalization.Builder().activation(RELU)} but never applies it (its output goes
     * negative; DL4J issue #4222 says batch norm is not meant to have one).
     */
    static int activationSource(MultiLayerConfiguration conf, int i) {
        if (!isIdentity(layer(conf, i))) {
            return i;
        }
        for (int j = i + 1; j < size(conf); j++) {
            Layer l = layer(conf, j);
            if (!isPassThrough(l) || conf.getInputPreProcess(j) != null) {
                return -1;
            }
            if (l instanceof ActivationLayer && !isIdentity(l)) {
                return j;
            }
        }
        return -1;
    }

    static boolean isIdentity(Layer l) {
        IActivation a = l instanceof BaseLayer b
                ? b.getActivationFn()
                : l instanceof ActivationLayer al ? al.getActivationFn() : null;
        return a == null || a instanceof ActivationIdentity;
    }

    static String activationName(Layer l) {
        IActivation a = l instanceof BaseLayer b
                ? b.getActivationFn()
                : l instanceof ActivationLayer al ? al.getActivationFn() : null;
        return a == null ? "identity" : a.toString();
    }
}
