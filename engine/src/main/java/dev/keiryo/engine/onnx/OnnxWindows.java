package dev.keiryo.engine.onnx;

import dev.keiryo.engine.onnx.OnnxGraphReader.Act;
import java.util.HashMap;
import java.util.Map;
import onnx.Onnx;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Conv and pooling, the operators that slide a window over images. They share ONNX's window
 * attributes (strides, pads, auto_pad, dilations), which DL4J expresses differently, and the image
 * size that comes out of them.
 */
final class OnnxWindows {
    private final OnnxGraphReader graph;
    private final OnnxNodeInputs inputs;

    OnnxWindows(OnnxGraphReader graph, OnnxNodeInputs inputs) {
        this.graph = graph;
        this.inputs = inputs;
    }

    void conv(Onnx.NodeProto node) {
        Act x = inputs.image(node, 0);
        INDArray w = inputs.weights(node, 1, "weights");
        INDArray b = OnnxNodeInputs.optionalInput(node, 2) ? inputs.weights(node, 2, "bias") : null;
        long group = OnnxProtos.intAttr(node, "group", 1);
        if (group != 1) {
            throw inputs.fail(
                    node,
                    "has group " + group + "; Keiryo imports convolutions with group 1 only (no grouped or"
                            + " depthwise convolutions).");
        }
        if (w.rank() != 4 || w.size(1) != x.c()) {
            throw inputs.fail(
                    node,
                    "has weights of shape " + java.util.Arrays.toString(w.shape()) + " for an input " + x.describe()
                            + "; Keiryo imports 2-D convolutions whose weights are [out, in, kH, kW].");
        }
        int[] k = {(int) w.size(2), (int) w.size(3)};
        Window win = window(node);
        long out = w.size(0);
        ConvolutionLayer conf = new ConvolutionLayer.Builder(k[0], k[1])
                .stride(win.stride)
                .padding(win.pad)
                .convolutionMode(win.mode)
                .nIn(x.c())
                .nOut(out)
                .hasBias(b != null)
                .activation(Activation.IDENTITY)
                .build();
        String name = graph.add(node, conf, x, OnnxGraphReader.weightName(node));
        Map<String, INDArray> p = graph.params.computeIfAbsent(name, n -> new HashMap<>());
        p.put("W", w);
        if (b != null) {
            p.put("b", b);
        }
        long[] hw = win.output(x.h(), x.w(), k);
        graph.define(node, new Act(name, out, hw[0], hw[1], true, 4, false));
    }

    void pool(Onnx.NodeProto node, SubsamplingLayer.PoolingType type) {
        Act x = inputs.image(node, 0);
        long[] kernel = OnnxProtos.intsAttr(node, "kernel_shape", null);
        if (kernel == null || kernel.length != 2) {
            throw inputs.fail(node, "has no 2-D kernel_shape; Keiryo imports 2-D pooling.");
        }
        if (OnnxProtos.intAttr(node, "ceil_mode", 0) != 0) {
            throw inputs.fail(node, "has ceil_mode 1; Keiryo imports pooling with ceil_mode 0 (PyTorch's default).");
        }
        if (inputs.usedOutput(node, 1)) {
            throw inputs.fail(node, "has its indices used; Keiryo imports MaxPool without indices.");
        }
        int[] k = {(int) kernel[0], (int) kernel[1]};
        Window win = window(node);
        SubsamplingLayer conf = new SubsamplingLayer.Builder(type)
                .kernelSize(k)
                .stride(win.stride)
                .padding(win.pad)
                .convolutionMode(win.mode)
                .avgPoolIncludePadInDivisor(OnnxProtos.intAttr(node, "count_include_pad", 0) != 0)
                .build();
        String name = graph.add(node, conf, x, null);
        long[] hw = win.output(x.h(), x.w(), k);
        graph.define(node, new Act(name, x.c(), hw[0], hw[1], true, 4, false));
    }

    void globalPool(Onnx.NodeProto node, PoolingType type) {
        Act x = inputs.image(node, 0);
        String name = graph.add(node, new GlobalPoolingLayer.Builder(type).build(), x, null);
        // ONNX keeps N x C x 1 x 1; DL4J gives N x C, which is the same values in the same order.
        graph.define(node, new Act(name, x.c(), 1, 1, false, 4, false));
    }

    /** Convolution and pooling windows: stride, symmetric padding or DL4J's Same mode. */
    private record Window(int[] stride, int[] pad, ConvolutionMode mode) {
        long[] output(long h, long w, int[] k) {
            if (mode == ConvolutionMode.Same) {
                return new long[] {(h + stride[0] - 1) / stride[0], (w + stride[1] - 1) / stride[1]};
            }
            return new long[] {(h + 2L * pad[0] - k[0]) / stride[0] + 1, (w + 2L * pad[1] - k[1]) / stride[1] + 1};
        }
    }

    private Window window(Onnx.NodeProto node) {
        long[] dilations = OnnxProtos.intsAttr(node, "dilations", new long[] {1, 1});
        for (long d : dilations) {
            if (d != 1) {
                throw inputs.fail(
                        node,
                        "has dilations " + java.util.Arrays.toString(dilations) + "; Keiryo imports"
                                + " dilation 1 only.");
            }
        }
        long[] s = OnnxProtos.intsAttr(node, "strides", new long[] {1, 1});
        int[] stride = {(int) s[0], (int) s[1]};
        String autoPad = OnnxProtos.stringAttr(node, "auto_pad", "NOTSET");
        switch (autoPad) {
            case "NOTSET" -> {
                long[] p = OnnxProtos.intsAttr(node, "pads", new long[] {0, 0, 0, 0});
                if (p.length != 4 || p[0] != p[2] || p[1] != p[3]) {
                    throw inputs.fail(
                            node,
                            "has pads " + java.util.Arrays.toString(p) + "; Keiryo imports the same"
                                    + " padding at the start and end of each side (symmetric pads) or auto_pad SAME_UPPER.");
                }
                return new Window(stride, new int[] {(int) p[0], (int) p[1]}, ConvolutionMode.Truncate);
            }
            case "VALID" -> {
                return new Window(stride, new int[] {0, 0}, ConvolutionMode.Truncate);
            }
            case "SAME_UPPER" -> {
                return new Window(stride, new int[] {0, 0}, ConvolutionMode.Same);
            }
            default ->
                throw inputs.fail(
                        node,
                        "has auto_pad " + autoPad + "; Keiryo imports NOTSET (explicit pads),"
                                + " VALID and SAME_UPPER.");
        }
    }
}
