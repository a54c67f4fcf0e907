package dev.keiryo.engine.train;

import dev.keiryo.engine.train.DenseChainForward.Act;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Which networks {@link ConvFront} covers: float32 convolutions with a bias, stride 1, no padding
 * or dilation, an identity or ReLU activation and no dropout or weight noise, each optionally
 * followed by a max pooling whose kernel equals its stride and by a ReLU layer of its own, all
 * NCHW, at the start of the graph.
 */
final class ConvFrontInspection {
    private ConvFrontInspection() {}

    /**
     * The convolutions and poolings that {@code net} starts with, or empty when it does not start
     * with a convolution this class covers. The dense chain must follow (see {@link
     * DenseChainForward#inspectAfter}).
     */
    static Optional<ConvFront> inspect(ComputationGraph net) {
        if (net.getConfiguration().getNetworkInputs().size() != 1
                || net.params() == null
                || net.params().dataType() != DataType.FLOAT) {
            return Optional.empty();
        }
        GraphVertex[] vertices = net.getVertices();
        List<ConvFront.Conv> convs = new ArrayList<>();
        int previous = -1;
        // the convolution being read, with the pooling and ReLU found after it so far
        Layer open = null;
        int openPool = 0;
        boolean openRelu = false;
        GraphVertex stop = null;
        for (int index : net.topologicalSortOrder()) {
            GraphVertex v = vertices[index];
            stop = v;
            if (v.isInputVertex()) {
                previous = index;
                continue;
            }
            if (!(v instanceof LayerVertex lv)
                    || lv.getLayerPreProcessor() != null
                    || v.getInputVertices() == null
                    || v.getInputVertices().length != 1
                    || v.getInputVertices()[0].getVertexIndex() != previous) {
                break;
            }
            org.deeplearning4j.nn.conf.layers.Layer conf = v.getLayer().conf().getLayer();
            if (conf.getClass() == ConvolutionLayer.class && covered((ConvolutionLayer) conf)) {
                if (open != null) {
                    convs.add(new ConvFront.Conv(open, openPool, openRelu));
                }
                open = v.getLayer();
                openPool = 0;
                openRelu = DenseChainForward.act(((ConvolutionLayer) conf).getActivationFn()) == Act.RELU;
            } else if (open != null && openPool == 0 && conf.getClass() == SubsamplingLayer.class) {
                openPool = pool((SubsamplingLayer) conf);
                if (openPool == 0) {
                    return Optional.empty();
                }
            } else if (open != null && conf.getClass() == ActivationLayer.class && conf.getIDropout() == null) {
                // a ReLU of its own (imported models have them), before or after the pooling:
                // max pooling and ReLU commute, so it is the convolution's
                Act act = DenseChainForward.act(((ActivationLayer) conf).getActivationFn());
                if (act != Act.IDENTITY && act != Act.RELU) {
                    break;
                }
                openRelu |= act == Act.RELU;
            } else {
                break;
            }
            previous = index;
        }
        if (open != null) {
            convs.add(new ConvFront.Conv(open, openPool, openRelu));
        }
        if (convs.isEmpty() || convs.get(0).cin <= 0) {
            return Optional.empty();
        }
        for (int i = 1; i < convs.size(); i++) {
            if (convs.get(i).cin != convs.get(i - 1).cout) {
                return Optional.empty();
            }
        }
        long[] expected = null;
        if (stop instanceof LayerVertex lv && lv.getLayerPreProcessor() instanceof CnnToFeedForwardPreProcessor p) {
            expected = new long[] {p.getNumChannels(), p.getInputHeight(), p.getInputWidth()};
        }
        return Optional.of(new ConvFront(convs, previous, expected));
    }

    private static boolean covered(ConvolutionLayer c) {
        return c.hasBias()
                && c.getIDropout() == null
                && c.getWeightNoise() == null
                && java.util.EnumSet.of(Act.IDENTITY, Act.RELU).contains(DenseChainForward.act(c.getActivationFn()))
                && c.getKernelSize().length == 2
                && all(c.getStride(), 1)
                && all(c.getPadding(), 0)
                && all(c.getDilation(), 1)
                && (c.getConvolutionMode() == ConvolutionMode.Truncate
                        || c.getConvolutionMode() == ConvolutionMode.Strict)
                && c.getCnn2dDataFormat() == CNN2DFormat.NCHW;
    }

    /** The pooling's kernel when this class computes it (square max pooling, kernel = stride), else 0. */
    private static int pool(SubsamplingLayer s) {
        int k = s.getKernelSize()[0];
        boolean ok = s.getPoolingType() == PoolingType.MAX
                && k > 0
                && k <= 15 // window positions are kept as unsigned bytes
                && all(s.getKernelSize(), k)
                && all(s.getStride(), k)
                && all(s.getPadding(), 0)
                && all(s.getDilation(), 1)
                && (s.getConvolutionMode() == ConvolutionMode.Truncate
                        || s.getConvolutionMode() == ConvolutionMode.Strict)
                && s.getCnn2dDataFormat() == CNN2DFormat.NCHW;
        return ok ? k : 0;
    }

    private static boolean all(int[] values, int v) {
        for (int x : values) {
            if (x != v) {
                return false;
            }
        }
        return true;
    }
}
