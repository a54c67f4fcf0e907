package dev.keiryo.engine.onnx.export;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.model.GraphTopology;
import dev.keiryo.engine.onnx.export.ExportOp.Act;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Reads a Keiryo graph (batch norm already folded where it can be) as {@link ExportOp}s in
 * topological order. Each vertex kind that Keiryo's presets and pruning produce has one rule; any
 * other kind is refused in one sentence naming the vertex, so no file is written that computes
 * something else.
 */
final class GraphLowering {
    private static final java.util.Set<Class<?>> KNOWN = java.util.Set.of(
            DropoutLayer.class,
            ConvolutionLayer.class,
            DenseLayer.class,
            OutputLayer.class,
            SubsamplingLayer.class,
            GlobalPoolingLayer.class,
            BatchNormalization.class,
            ActivationLayer.class);

    private final ComputationGraph net;
    private final ComputationGraphConfiguration conf;
    private final GraphTopology topology;
    private final Map<String, InputType> types;
    private final InputType inputType;
    private final Map<String, String> tensorOf = new HashMap<>();
    private final Map<String, ExportOp> ops = new LinkedHashMap<>();
    private final String source;

    private GraphLowering(ComputationGraph net, InputType inputType, String source) {
        this.net = net;
        this.conf = net.getConfiguration();
        this.topology = new GraphTopology(conf);
        this.inputType = inputType;
        this.types = conf.getLayerActivationTypes(inputType);
        this.source = source;
    }

    /**
     * The network's steps, reading the graph input from tensor {@code inputTensor}.
     *
     * @param source the model's file name, for error sentences
     */
    static List<ExportOp> lower(ComputationGraph net, InputType inputType, String inputTensor, String source) {
        GraphLowering l = new GraphLowering(net, inputType, source);
        if (l.conf.getNetworkInputs().size() != 1 || l.conf.getNetworkOutputs().size() != 1) {
            throw new KeiryoException(
                    "model " + source + " has " + l.conf.getNetworkInputs().size() + " inputs and "
                            + l.conf.getNetworkOutputs().size() + " outputs, but ONNX export handles one of each;"
                            + " export a single-input classifier.");
        }
        l.tensorOf.put(l.conf.getNetworkInputs().get(0), inputTensor);
        for (String v : l.topology.order()) {
            if (!l.conf.getNetworkInputs().contains(v)) {
                l.vertex(v);
            }
        }
        return List.copyOf(l.ops.values());
    }

    private void vertex(String v) {
        GraphVertex gv = conf.getVertices().get(v);
        List<String> ins = topology.inputsOf(v);
        if (gv instanceof ElementWiseVertex e) {
            String op = switch (e.getOp()) {
                case Add -> ins.size() == 2 ? "Add" : "Sum";
                case Subtract -> "Sub";
                case Product -> "Mul";
                case Max -> "Max";
                default -> throw unsupported(v, "element-wise " + e.getOp());
            };
            put(v, new ExportOp.Elementwise(v, tensors(ins), op, Act.IDENTITY));
        } else if (gv instanceof MergeVertex m) {
            if (m.getMergeAxis() != 1) {
                throw unsupported(v, "merge along axis " + m.getMergeAxis());
            }
            put(v, new ExportOp.Concat(v, tensors(ins)));
        } else if (gv instanceof LayerVertex lv) {
            Layer layer = lv.getLayerConf().getLayer();
            if (!KNOWN.contains(layer.getClass())) {
                throw unsupported(v, layer.getClass().getSimpleName());
            }
            String in = preprocess(v, lv.getPreProcessor(), tensorOf.get(ins.get(0)));
            layer(v, layer, in, ins.get(0));
        } else {
            throw unsupported(v, gv.getClass().getSimpleName());
        }
    }

    private void layer(String v, Layer layer, String in, String inVertex) {
        if (layer instanceof DropoutLayer) {
            tensorOf.put(v, in);
        } else if (layer.getClass() == ConvolutionLayer.class) {
            put(v, conv(v, (ConvolutionLayer) layer, in, inVertex));
        } else if (layer.getClass() == DenseLayer.class || layer.getClass() == OutputLayer.class) {
            dense(v, (BaseLayer) layer, in);
        } else if (layer.getClass() == SubsamplingLayer.class) {
            put(v, pool(v, (SubsamplingLayer) layer, in, inVertex));
        } else if (layer instanceof GlobalPoolingLayer g) {
            if (!g.isCollapseDimensions()
                    || (g.getPoolingType() != PoolingType.AVG && g.getPoolingType() != PoolingType.MAX)) {
                throw unsupported(v, "global " + g.getPoolingType() + " pooling without collapsed dimensions");
            }
            // Two steps, so the int8 export can quantize between them and ONNX Runtime fuse both.
            String pooled = v + ".pool";
            put(pooled, new ExportOp.GlobalPool(pooled, in, g.getPoolingType() == PoolingType.MAX));
            put(v, new ExportOp.Flatten(v, pooled));
        } else if (layer instanceof BatchNormalization) {
            put(v, batchNorm(v, in));
        } else if (layer instanceof ActivationLayer a) {
            activation(v, act(v, a.getActivationFn()), in, inVertex);
        } else {
            throw unsupported(v, layer.getClass().getSimpleName());
        }
    }

    /** An activation joins the step before it when that step feeds nothing else. */
    private void activation(String v, Act act, String in, String inVertex) {
        ExportOp before = ops.get(inVertex);
        boolean alone = topology.consumersOf(inVertex).size() == 1
                && !conf.getNetworkOutputs().contains(inVertex)
                && in.equals(inVertex);
        if (alone && before instanceof ExportOp.Conv c && c.act().identity()) {
            ops.remove(inVertex);
            put(
                    v,
                    new ExportOp.Conv(
                            v, c.input(), c.weights(), c.shape(), c.bias(), c.strides(), c.pads(), c.dilations(), act));
        } else if (alone && before instanceof ExportOp.Dense d && d.act().identity()) {
            ops.remove(inVertex);
            put(v, new ExportOp.Dense(v, d.input(), d.weights(), d.in(), d.out(), d.bias(), act));
        } else if (alone && before instanceof ExportOp.Elementwise e && e.act().identity()) {
            ops.remove(inVertex);
            put(v, new ExportOp.Elementwise(v, e.inputs(), e.onnxOp(), act));
        } else if (act.identity()) {
            tensorOf.put(v, in);
        } else {
            put(v, new ExportOp.Activation(v, in, act));
        }
    }

    private String preprocess(String v, InputPreProcessor p, String in) {
        if (p == null) {
            return in;
        }
        String out = v + ".in";
        if (p instanceof CnnToFeedForwardPreProcessor c && c.getFormat() == CNN2DFormat.NCHW) {
            put(out, new ExportOp.Flatten(out, in));
        } else if (p instanceof FeedForwardToCnnPreProcessor f) {
            put(out, new ExportOp.Reshape(out, in, new long[] {
                -1, f.getNumChannels(), f.getInputHeight(), f.getInputWidth()
            }));
        } else {
            throw unsupported(v, "input preprocessor " + p.getClass().getSimpleName());
        }
        return out;
    }

    private ExportOp.Conv conv(String v, ConvolutionLayer c, String in, String inVertex) {
        if (c.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            throw unsupported(v, "convolution in " + c.getCnn2dDataFormat() + " layout");
        }
        INDArray w = param(v, "W");
        float[] bias = c.hasBias() ? param(v, "b").reshape(-1).toFloatVector() : null;
        int[] pads = pads(
                c.getConvolutionMode(), c.getPadding(), c.getKernelSize(), c.getStride(), c.getDilation(), inVertex);
        return new ExportOp.Conv(
                v,
                in,
                w.reshape(-1).toFloatVector(),
                w.shape(),
                bias,
                c.getStride(),
                pads,
                c.getDilation(),
                act(v, c.getActivationFn()));
    }

    private void dense(String v, BaseLayer layer, String in) {
        INDArray w = param(v, "W");
        int nIn = (int) w.size(0);
        int nOut = (int) w.size(1);
        // DL4J keeps [in, out]; Gemm with transB reads [out, in], one contiguous row per unit.
        float[] t = w.transpose().dup('c').reshape(-1).toFloatVector();
        float[] bias = layer instanceof DenseLayer d && !d.hasBias()
                ? null
                : param(v, "b").reshape(-1).toFloatVector();
        Act act = act(v, layer.getActivationFn());
        if ("Softmax".equals(act.onnxOp())) {
            // The logits get their own tensor: the int8 export leaves it in float before the softmax.
            String logits = v + ".logits";
            put(logits, new ExportOp.Dense(logits, in, t, nIn, nOut, bias, Act.IDENTITY));
            put(v, new ExportOp.Activation(v, logits, act));
        } else {
            put(v, new ExportOp.Dense(v, in, t, nIn, nOut, bias, act));
        }
    }

    private ExportOp.Pool pool(String v, SubsamplingLayer s, String in, String inVertex) {
        boolean max = s.getPoolingType() == org.deeplearning4j.nn.conf.layers.PoolingType.MAX;
        if (!max && s.getPoolingType() != org.deeplearning4j.nn.conf.layers.PoolingType.AVG) {
            throw unsupported(v, s.getPoolingType() + " pooling");
        }
        if (s.getCnn2dDataFormat() != CNN2DFormat.NCHW || s.getDilation()[0] != 1 || s.getDilation()[1] != 1) {
            throw unsupported(v, "pooling with dilation or in " + s.getCnn2dDataFormat() + " layout");
        }
        int[] pads = pads(
                s.getConvolutionMode(), s.getPadding(), s.getKernelSize(), s.getStride(), s.getDilation(), inVertex);
        if (!max && (pads[0] | pads[1] | pads[2] | pads[3]) != 0) {
            throw unsupported(v, "average pooling with padding");
        }
        return new ExportOp.Pool(v, in, max, s.getKernelSize(), s.getStride(), pads);
    }

    /**
     * ONNX pads {@code [top, left, bottom, right]}. DL4J's Same mode pads {@code total / 2} before
     * and the rest after, so the output is {@code ceil(in / stride)}: ONNX's SAME_UPPER, spelt out.
     */
    private int[] pads(ConvolutionMode mode, int[] pad, int[] k, int[] s, int[] d, String inVertex) {
        if (mode != ConvolutionMode.Same) {
            return new int[] {pad[0], pad[1], pad[0], pad[1]};
        }
        InputType t = conf.getNetworkInputs().contains(inVertex) ? inputType : types.get(inVertex);
        if (!(t instanceof InputType.InputTypeConvolutional c)) {
            throw new KeiryoException("model " + source + ": the input of '" + inVertex
                    + "' has no known image size, which Same padding needs; export a model built by Keiryo.");
        }
        long[] size = {c.getHeight(), c.getWidth()};
        int[] out = new int[4];
        for (int i = 0; i < 2; i++) {
            long o = (size[i] + s[i] - 1) / s[i];
            long total = Math.max(0, (o - 1) * s[i] + (long) (k[i] - 1) * d[i] + 1 - size[i]);
            out[i] = (int) (total / 2);
            out[i + 2] = (int) (total - total / 2);
        }
        return out;
    }

    /** Batch norm that could not be folded (it follows no plain convolution), as a per-channel affine map. */
    private ExportOp.Affine batchNorm(String v, String in) {
        BatchNormalization bn = (BatchNormalization) topology.layer(v);
        Map<String, INDArray> p = net.getLayer(v).paramTable();
        INDArray mean = p.get("mean").castTo(DataType.DOUBLE).reshape(-1);
        long c = mean.length();
        INDArray std = p.containsKey("log10stdev")
                ? Transforms.pow(
                        mean.like().assign(10.0),
                        p.get("log10stdev").castTo(DataType.DOUBLE).reshape(-1))
                : Transforms.sqrt(
                        p.get("var").castTo(DataType.DOUBLE).reshape(-1).add(bn.getEps()));
        INDArray gamma = p.containsKey("gamma")
                ? p.get("gamma").castTo(DataType.DOUBLE).reshape(-1)
                : mean.like().assign(bn.getGamma());
        INDArray beta = p.containsKey("beta")
                ? p.get("beta").castTo(DataType.DOUBLE).reshape(-1)
                : mean.like().assign(bn.getBeta());
        INDArray scale = gamma.div(std);
        INDArray shift = beta.sub(mean.mul(scale));
        InputType t = types.get(v);
        long[] shape = t instanceof InputType.InputTypeConvolutional ? new long[] {c, 1, 1} : new long[] {c};
        return new ExportOp.Affine(
                v,
                in,
                shift.castTo(DataType.FLOAT).toFloatVector(),
                scale.castTo(DataType.FLOAT).toFloatVector(),
                shape);
    }

    private Act act(String v, IActivation a) {
        if (a == null || a instanceof ActivationIdentity) {
            return Act.IDENTITY;
        } else if (a instanceof ActivationReLU) {
            return Act.RELU;
        } else if (a instanceof ActivationSigmoid) {
            return new Act("Sigmoid", 0);
        } else if (a instanceof ActivationTanH) {
            return new Act("Tanh", 0);
        } else if (a instanceof ActivationSoftmax) {
            return new Act("Softmax", 0);
        } else if (a instanceof ActivationLReLU l) {
            return new Act("LeakyRelu", (float) l.getAlpha());
        } else if (a instanceof ActivationELU e) {
            return new Act("Elu", (float) e.getAlpha());
        }
        throw unsupported(v, "activation " + a);
    }

    private INDArray param(String v, String key) {
        return net.getLayer(v).paramTable().get(key).castTo(DataType.FLOAT).dup('c');
    }

    private List<String> tensors(List<String> vertices) {
        List<String> out = new ArrayList<>(vertices.size());
        for (String in : vertices) {
            out.add(tensorOf.get(in));
        }
        return out;
    }

    private void put(String v, ExportOp op) {
        ops.put(v, op);
        tensorOf.put(v, op.output());
    }

    private KeiryoException unsupported(String vertex, String kind) {
        return new KeiryoException("model " + source + " has vertex '" + vertex + "' of kind " + kind
                + ", which ONNX export does not support yet; export a model made of convolution, dense,"
                + " pooling, batch norm, activation, add and merge vertices.");
    }
}
