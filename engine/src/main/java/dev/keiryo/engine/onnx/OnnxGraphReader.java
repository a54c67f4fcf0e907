package dev.keiryo.engine.onnx;

import dev.keiryo.engine.api.KeiryoException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import onnx.Onnx;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Walks an ONNX graph's nodes in order and turns each into DL4J layers and vertices (kept as plans,
 * not yet a network) with the weights they must receive. Anything it cannot express exactly stops
 * the import with one sentence naming the node, so nothing is ever half imported.
 */
final class OnnxGraphReader {
    static final String SUPPORTED = "Conv (group 1, dilation 1), Gemm, MatMul (+ Add), BatchNormalization, Relu,"
            + " LeakyRelu, Sigmoid, Tanh, Clip (as ReLU6 or ReLU), MaxPool, AveragePool, GlobalAveragePool,"
            + " GlobalMaxPool, Flatten, Reshape (to 2-D), Add, Concat (channels), Dropout, Identity, Constant,"
            + " Cast, Pad (of nothing), Shape arithmetic for Reshape (Shape, Gather, Unsqueeze, Squeeze, Concat),"
            + " and Softmax as the last operator";

    /**
     * What a tensor is while the graph is read: the DL4J vertex that computes it and its ONNX shape.
     *
     * @param cnn whether DL4J holds it as an image (N x C x H x W); a flattened image stays one in
     *     DL4J, which flattens it in the same C, H, W order where a dense layer consumes it
     * @param rank its rank in ONNX (4 for images and globally pooled channels, 2 for vectors)
     * @param probabilities whether it is a Softmax's output, which only the graph output may be
     */
    record Act(String vertex, long c, long h, long w, boolean cnn, int rank, boolean probabilities) {
        long features() {
            return c * h * w;
        }

        Act withVertex(String v) {
            return new Act(v, c, h, w, cnn, rank, probabilities);
        }

        Act as(int newRank, boolean newCnn) {
            return new Act(vertex, c, h, w, newCnn, newRank, probabilities);
        }

        String describe() {
            return rank == 4 ? "[N," + c + "," + h + "," + w + "]" : "[N," + features() + "]";
        }
    }

    /** One vertex to add to the graph: a DL4J layer or vertex configuration and its inputs. */
    record Plan(String name, Object conf, List<String> inputs, String op) {}

    private final String model;
    private final Map<String, Onnx.TensorProto> constants = new HashMap<>();
    private final Map<String, Act> acts = new HashMap<>();
    /** Integer vectors computed from activations' shapes ({@code x.view(x.size(0), -1)}), batch as {@link #BATCH}. */
    private final Map<String, long[]> shapes = new HashMap<>();

    /** The batch size in a computed shape: known only while running, and what Reshape keeps. */
    static final long BATCH = Long.MIN_VALUE;

    private final Map<String, Integer> uses = new HashMap<>();
    private final Set<String> names = new HashSet<>();
    final Map<String, Plan> plans = new LinkedHashMap<>();
    final Map<String, Map<String, INDArray>> params = new HashMap<>();

    OnnxGraphReader(String model, Onnx.GraphProto graph, String input, Act inputAct) {
        this.model = model;
        for (Onnx.TensorProto t : graph.getInitializerList()) {
            constants.put(t.getName(), t);
        }
        for (Onnx.NodeProto n : graph.getNodeList()) {
            for (String in : n.getInputList()) {
                uses.merge(in, 1, Integer::sum);
            }
        }
        for (Onnx.ValueInfoProto out : graph.getOutputList()) {
            uses.merge(out.getName(), 1, Integer::sum);
        }
        names.add(inputAct.vertex());
        acts.put(input, inputAct);
    }

    /** The tensor's activation, or null when it is a constant or unknown. */
    Act act(String tensor) {
        return acts.get(tensor);
    }

    boolean isConstant(String tensor) {
        return constants.containsKey(tensor);
    }

    int uses(String tensor) {
        return uses.getOrDefault(tensor, 0);
    }

    void read(Onnx.NodeProto node) {
        int inputs = inputsNeeded(node.getOpType());
        if (node.getInputCount() < inputs || node.getOutputCount() < 1) {
            throw fail(
                    node,
                    "has " + node.getInputCount() + " input(s) and " + node.getOutputCount() + " output(s), where "
                            + node.getOpType() + " needs at least " + inputs + " and one; the file is damaged:"
                            + " export it again.");
        }
        switch (node.getOpType()) {
            case "Constant" -> constant(node);
            case "Conv" -> conv(node);
            case "Gemm" -> gemm(node);
            case "MatMul" -> matMul(node);
            case "Add" -> add(node);
            case "BatchNormalization" -> batchNorm(node);
            case "Relu" -> activation(node, Activation.RELU.getActivationFunction());
            case "Sigmoid" -> activation(node, Activation.SIGMOID.getActivationFunction());
            case "Tanh" -> activation(node, Activation.TANH.getActivationFunction());
            case "LeakyRelu" -> activation(node, new ActivationLReLU(OnnxProtos.floatAttr(node, "alpha", 0.01f)));
            case "Clip" -> clip(node);
            case "MaxPool" -> pool(node, SubsamplingLayer.PoolingType.MAX);
            case "AveragePool" -> pool(node, SubsamplingLayer.PoolingType.AVG);
            case "GlobalAveragePool" -> globalPool(node, PoolingType.AVG);
            case "GlobalMaxPool" -> globalPool(node, PoolingType.MAX);
            case "Flatten" -> flatten(node);
            case "Reshape" -> reshape(node);
            case "Concat" -> {
                if (acts.containsKey(node.getInput(0))) {
                    concat(node);
                } else {
                    concatShapes(node);
                }
            }
            case "Shape" -> shape(node);
            case "Gather" -> gather(node);
            case "Unsqueeze", "Squeeze" -> sameValues(node);
            case "Dropout", "Identity" -> alias(node);
            case "Cast" -> cast(node);
            case "Pad" -> pad(node);
            case "Softmax" -> softmax(node);
            default -> throw fail(node, "is an operator Keiryo does not import; it imports " + SUPPORTED + ".");
        }
    }

    /** The inputs an operator cannot do without (0 for operators Keiryo does not import). */
    private static int inputsNeeded(String op) {
        return switch (op) {
            case "Constant" -> 0;
            case "Conv", "Gemm", "MatMul", "Add", "Reshape", "Gather" -> 2;
            case "BatchNormalization" -> 5;
            case "Relu",
                    "Sigmoid",
                    "Tanh",
                    "LeakyRelu",
                    "Clip",
                    "MaxPool",
                    "AveragePool",
                    "GlobalAveragePool",
                    "GlobalMaxPool",
                    "Flatten",
                    "Concat",
                    "Shape",
                    "Unsqueeze",
                    "Squeeze",
                    "Dropout",
                    "Identity",
                    "Cast",
                    "Pad",
                    "Softmax" -> 1;
            default -> 0;
        };
    }

    KeiryoException fail(Onnx.NodeProto node, String what) {
        String name = !node.getName().isEmpty() || node.getOutputCount() == 0 ? node.getName() : node.getOutput(0);
        return new KeiryoException("ONNX model " + model + ": node '" + name + "' (" + node.getOpType() + ") " + what);
    }

    // ---- operators ----

    private void constant(Onnx.NodeProto node) {
        Onnx.AttributeProto value = OnnxProtos.attribute(node, "value");
        if (value == null || !value.hasT()) {
            throw fail(node, "has no tensor 'value'; Keiryo imports Constant nodes that hold a tensor.");
        }
        constants.put(node.getOutput(0), value.getT());
    }

    private void conv(Onnx.NodeProto node) {
        Act x = image(node, 0);
        INDArray w = weights(node, 1, "weights");
        INDArray b = optionalInput(node, 2) ? weights(node, 2, "bias") : null;
        long group = OnnxProtos.intAttr(node, "group", 1);
        if (group != 1) {
            throw fail(
                    node,
                    "has group " + group + "; Keiryo imports convolutions with group 1 only (no grouped or"
                            + " depthwise convolutions).");
        }
        if (w.rank() != 4 || w.size(1) != x.c()) {
            throw fail(
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
        String name = add(node, conf, x, weightName(node));
        Map<String, INDArray> p = params.computeIfAbsent(name, n -> new HashMap<>());
        p.put("W", w);
        if (b != null) {
            p.put("b", b);
        }
        long[] hw = win.output(x.h(), x.w(), k);
        define(node, new Act(name, out, hw[0], hw[1], true, 4, false));
    }

    private void gemm(Onnx.NodeProto node) {
        Act a = vector(node, 0);
        if (OnnxProtos.intAttr(node, "transA", 0) != 0) {
            throw fail(node, "has transA 1; Keiryo imports Gemm whose first input is the activations as they are.");
        }
        INDArray bMat = weights(node, 1, "weights");
        if (bMat.rank() != 2) {
            throw fail(
                    node,
                    "multiplies by a tensor of rank " + bMat.rank() + "; Keiryo imports Gemm of the activations"
                            + " by a constant matrix.");
        }
        INDArray w = OnnxProtos.intAttr(node, "transB", 0) != 0 ? bMat.transpose() : bMat;
        w = w.mul(OnnxProtos.floatAttr(node, "alpha", 1f));
        INDArray bias = Nd4j.zeros(w.dataType(), w.size(1));
        if (optionalInput(node, 2)) {
            INDArray c = weights(node, 2, "bias");
            if (c.length() != w.size(1) && c.length() != 1) {
                throw fail(
                        node,
                        "has a bias of " + c.length() + " values for " + w.size(1) + " outputs; Keiryo"
                                + " imports a bias with one value per output.");
            }
            bias.addi(c.reshape(-1).mul(OnnxProtos.floatAttr(node, "beta", 1f)));
        }
        dense(node, a, w, bias);
    }

    private void matMul(Onnx.NodeProto node) {
        Act a = vector(node, 0);
        INDArray w = weights(node, 1, "weights");
        if (w.rank() != 2) {
            throw fail(
                    node,
                    "multiplies by a tensor of rank " + w.rank() + "; Keiryo imports MatMul of the"
                            + " activations by a constant matrix [in, out].");
        }
        dense(node, a, w, Nd4j.zeros(w.dataType(), w.size(1)));
    }

    private void dense(Onnx.NodeProto node, Act a, INDArray w, INDArray bias) {
        if (w.size(0) != a.features()) {
            throw fail(
                    node,
                    "has weights for " + w.size(0) + " inputs but its input is " + a.describe()
                            + "; the file is inconsistent, export it again.");
        }
        DenseLayer conf = new DenseLayer.Builder()
                .nIn(w.size(0))
                .nOut(w.size(1))
                .hasBias(true)
                .activation(Activation.IDENTITY)
                .build();
        String name = add(node, conf, a, weightName(node));
        Map<String, INDArray> p = params.computeIfAbsent(name, n -> new HashMap<>());
        p.put("W", w.dup('c'));
        p.put("b", bias);
        define(node, new Act(name, w.size(1), 1, 1, false, 2, false));
    }

    private void add(Onnx.NodeProto node) {
        String left = node.getInput(0);
        String right = node.getInput(1);
        if (acts.containsKey(left) && acts.containsKey(right)) {
            Act a = use(node, 0);
            Act b = use(node, 1);
            if (a.c() != b.c() || a.h() != b.h() || a.w() != b.w() || a.rank() != b.rank() || a.cnn() != b.cnn()) {
                throw fail(
                        node,
                        "adds " + a.describe() + " and " + b.describe() + "; Keiryo imports Add of two"
                                + " activations of the same shape (no broadcasting).");
            }
            String name =
                    plan(node, new ElementWiseVertex(ElementWiseVertex.Op.Add), List.of(a.vertex(), b.vertex()), null);
            define(node, new Act(name, a.c(), a.h(), a.w(), a.cnn(), a.rank(), false));
            return;
        }
        // MatMul then Add of a constant is how exporters write a linear layer: the constant is its bias.
        int actIndex = acts.containsKey(left) ? 0 : 1;
        Act a = use(node, actIndex);
        INDArray c = weights(node, 1 - actIndex, "addend");
        Plan producer = plans.get(a.vertex());
        boolean bias = producer != null
                && producer.conf() instanceof DenseLayer
                && a.rank() == 2
                && uses(node.getInput(actIndex)) == 1
                && (c.length() == a.c() || c.length() == 1);
        if (!bias) {
            throw fail(
                    node,
                    "adds a constant to " + a.describe() + "; Keiryo imports Add of a constant only as the"
                            + " bias of the MatMul or Gemm right before it.");
        }
        params.get(a.vertex()).get("b").addi(c.reshape(-1));
        define(node, a);
    }

    private void batchNorm(Onnx.NodeProto node) {
        Act x = use(node, 0);
        if (!(x.rank() == 4 && x.cnn()) && !(x.rank() == 2 && !x.cnn())) {
            throw fail(node, "normalises " + x.describe() + "; Keiryo imports batch norm of images or of vectors.");
        }
        if (OnnxProtos.intAttr(node, "training_mode", 0) != 0 || usedOutput(node, 1)) {
            throw fail(
                    node,
                    "is in training mode; export the model in eval mode"
                            + " (model.eval() and training=torch.onnx.TrainingMode.EVAL).");
        }
        INDArray gamma = weights(node, 1, "scale").reshape(-1);
        INDArray beta = weights(node, 2, "bias").reshape(-1);
        INDArray mean = weights(node, 3, "mean").reshape(-1);
        INDArray var = weights(node, 4, "variance").reshape(-1);
        double eps = OnnxProtos.floatAttr(node, "epsilon", 1e-5f);
        BatchNormalization conf = new BatchNormalization.Builder()
                .nIn(x.c())
                .nOut(x.c())
                .eps(eps)
                .decay(OnnxProtos.floatAttr(node, "momentum", 0.9f))
                .build();
        String name = add(node, conf, x, weightName(node));
        Map<String, INDArray> p = params.computeIfAbsent(name, n -> new HashMap<>());
        p.put("gamma", gamma);
        p.put("beta", beta);
        p.put("mean", mean);
        p.put("var", var);
        // DL4J keeps log10(sqrt(var + eps)) and subtracts eps again when it rebuilds the variance.
        p.put("log10stdev", Transforms.log(Transforms.sqrt(var.add(eps)), 10.0));
        define(node, x.withVertex(name));
    }

    private void activation(Onnx.NodeProto node, IActivation fn) {
        Act x = use(node, 0);
        String name = add(node, new ActivationLayer.Builder().activation(fn).build(), x, null);
        define(node, x.withVertex(name));
    }

    private void clip(Onnx.NodeProto node) {
        float min;
        float max;
        if (OnnxProtos.attribute(node, "min") != null || OnnxProtos.attribute(node, "max") != null) {
            min = OnnxProtos.floatAttr(node, "min", Float.NEGATIVE_INFINITY);
            max = OnnxProtos.floatAttr(node, "max", Float.POSITIVE_INFINITY);
        } else {
            min = optionalInput(node, 1) ? weights(node, 1, "min").getFloat(0) : Float.NEGATIVE_INFINITY;
            max = optionalInput(node, 2) ? weights(node, 2, "max").getFloat(0) : Float.POSITIVE_INFINITY;
        }
        if (min == 0f && max == 6f) {
            activation(node, Activation.RELU6.getActivationFunction());
        } else if (min == 0f && max == Float.POSITIVE_INFINITY) {
            activation(node, Activation.RELU.getActivationFunction());
        } else {
            throw fail(
                    node,
                    "clips to [" + min + ", " + max + "]; Keiryo imports Clip to [0, 6] (ReLU6) or to"
                            + " [0, infinity) (ReLU).");
        }
    }

    private void pool(Onnx.NodeProto node, SubsamplingLayer.PoolingType type) {
        Act x = image(node, 0);
        long[] kernel = OnnxProtos.intsAttr(node, "kernel_shape", null);
        if (kernel == null || kernel.length != 2) {
            throw fail(node, "has no 2-D kernel_shape; Keiryo imports 2-D pooling.");
        }
        if (OnnxProtos.intAttr(node, "ceil_mode", 0) != 0) {
            throw fail(node, "has ceil_mode 1; Keiryo imports pooling with ceil_mode 0 (PyTorch's default).");
        }
        if (usedOutput(node, 1)) {
            throw fail(node, "has its indices used; Keiryo imports MaxPool without indices.");
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
        String name = add(node, conf, x, null);
        long[] hw = win.output(x.h(), x.w(), k);
        define(node, new Act(name, x.c(), hw[0], hw[1], true, 4, false));
    }

    private void globalPool(Onnx.NodeProto node, PoolingType type) {
        Act x = image(node, 0);
        String name = add(node, new GlobalPoolingLayer.Builder(type).build(), x, null);
        // ONNX keeps N x C x 1 x 1; DL4J gives N x C, which is the same values in the same order.
        define(node, new Act(name, x.c(), 1, 1, false, 4, false));
    }

    private void flatten(Onnx.NodeProto node) {
        Act x = use(node, 0);
        long axis = OnnxProtos.intAttr(node, "axis", 1);
        if (axis != 1) {
            throw fail(
                    node,
                    "flattens from axis " + axis + "; Keiryo imports Flatten from axis 1 (one vector per"
                            + " example).");
        }
        define(node, x.as(2, x.cnn()));
    }

    private void reshape(Onnx.NodeProto node) {
        Act x = use(node, 0);
        long[] shape = integers(node, 1, "target shape");
        long f = x.features();
        // The first entry is the batch: -1, 0 (copy), the running batch size, or the one the exporter saw.
        boolean flat = shape.length == 2 && (shape[1] == f || (shape[1] == -1 && shape[0] != -1));
        if (!flat) {
            throw fail(
                    node,
                    "reshapes " + x.describe() + " to "
                            + java.util.Arrays.toString(shape).replace(String.valueOf(BATCH), "N") + "; Keiryo"
                            + " imports Reshape only to one vector of " + f + " values per example.");
        }
        define(node, x.as(2, x.cnn()));
    }

    private void concat(Onnx.NodeProto node) {
        List<Act> in = new ArrayList<>();
        for (int i = 0; i < node.getInputCount(); i++) {
            in.add(use(node, i));
        }
        Act first = in.get(0);
        long axis = OnnxProtos.intAttr(node, "axis", 1);
        axis = axis < 0 ? axis + first.rank() : axis;
        long channels = 0;
        for (Act a : in) {
            boolean same =
                    a.rank() == first.rank() && a.cnn() == first.cnn() && a.h() == first.h() && a.w() == first.w();
            boolean flattenedImage = a.cnn() && a.rank() == 2;
            if (axis != 1 || !same || flattenedImage) {
                throw fail(
                        node,
                        "joins " + a.describe() + " and " + first.describe() + " on axis " + axis
                                + "; Keiryo imports Concat on the channel axis (1) of images of the same size, or of"
                                + " vectors.");
            }
            channels += a.c();
        }
        String name = plan(node, new MergeVertex(), in.stream().map(Act::vertex).toList(), null);
        define(node, new Act(name, channels, first.h(), first.w(), first.cnn(), first.rank(), false));
    }

    private void alias(Onnx.NodeProto node) {
        if (usedOutput(node, 1)) {
            throw fail(node, "has its mask used; Keiryo imports Dropout as it runs in inference (no mask).");
        }
        define(node, use(node, 0));
    }

    /** The shape of an activation, for the shape arithmetic PyTorch writes for {@code x.view(x.size(0), -1)}. */
    private void shape(Onnx.NodeProto node) {
        Act x = use(node, 0);
        if (OnnxProtos.attribute(node, "start") != null || OnnxProtos.attribute(node, "end") != null) {
            throw fail(node, "takes a slice of the shape; Keiryo imports Shape of the whole shape.");
        }
        shapes.put(
                node.getOutput(0),
                x.rank() == 4 ? new long[] {BATCH, x.c(), x.h(), x.w()} : new long[] {BATCH, x.features()});
    }

    private void gather(Onnx.NodeProto node) {
        long[] data = integers(node, 0, "data");
        long[] indices = integers(node, 1, "indices");
        if (OnnxProtos.intAttr(node, "axis", 0) != 0) {
            throw fail(
                    node,
                    "gathers on an axis other than 0; Keiryo imports Gather only to pick entries of a" + " shape.");
        }
        long[] out = new long[indices.length];
        for (int i = 0; i < out.length; i++) {
            long k = indices[i] < 0 ? indices[i] + data.length : indices[i];
            if (k < 0 || k >= data.length) {
                throw fail(
                        node,
                        "picks entry " + indices[i] + " of a shape with " + data.length + " entries; the"
                                + " file is inconsistent, export it again.");
            }
            out[i] = data[(int) k];
        }
        shapes.put(node.getOutput(0), out);
    }

    /** Unsqueeze and Squeeze change a shape vector's rank, not its values, which is all Reshape reads. */
    private void sameValues(Onnx.NodeProto node) {
        shapes.put(node.getOutput(0), integers(node, 0, "data"));
    }

    private void concatShapes(Onnx.NodeProto node) {
        List<Long> all = new ArrayList<>();
        for (int i = 0; i < node.getInputCount(); i++) {
            for (long v : integers(node, i, "input " + i)) {
                all.add(v);
            }
        }
        shapes.put(node.getOutput(0), all.stream().mapToLong(Long::longValue).toArray());
    }

    /** Input {@code i} as integers: a constant, or a shape computed from activations. */
    private long[] integers(Onnx.NodeProto node, int i, String what) {
        String tensor = node.getInputCount() > i ? node.getInput(i) : "";
        if (shapes.containsKey(tensor)) {
            return shapes.get(tensor);
        }
        if (constants.containsKey(tensor)) {
            return OnnxProtos.longs(
                    constants.get(tensor), "ONNX model " + model + ": the " + what + " of " + node.getName());
        }
        if (acts.containsKey(tensor)) {
            throw fail(
                    node,
                    "takes activations as its " + what + "; Keiryo imports " + node.getOpType()
                            + " only on shapes and constants (as in x.view(x.size(0), -1)).");
        }
        throw missing(node, tensor);
    }

    /** Exporters cast constants (clip bounds, shapes) to the activations' type; the values stay what they are. */
    private void cast(Onnx.NodeProto node) {
        String in = node.getInput(0);
        if (constants.containsKey(in)) {
            constants.put(node.getOutput(0), constants.get(in));
        } else if (shapes.containsKey(in)) {
            shapes.put(node.getOutput(0), shapes.get(in));
        } else if (OnnxProtos.intAttr(node, "to", OnnxProtos.FLOAT) == OnnxProtos.FLOAT) {
            define(node, use(node, 0));
        } else {
            throw fail(
                    node,
                    "casts activations to " + OnnxProtos.typeName((int) OnnxProtos.intAttr(node, "to", 0))
                            + "; Keiryo imports float32 activations only.");
        }
    }

    /** PyTorch's average pooling writes a Pad before AveragePool even when it pads nothing. */
    private void pad(Onnx.NodeProto node) {
        long[] pads = optionalInput(node, 1)
                ? (constants.containsKey(node.getInput(1))
                        ? OnnxProtos.longs(
                                constants.get(node.getInput(1)),
                                "ONNX model " + model + ": the pads of " + node.getName())
                        : null)
                : OnnxProtos.intsAttr(node, "pads", new long[0]);
        boolean none = pads != null;
        for (int i = 0; none && i < pads.length; i++) {
            none = pads[i] == 0;
        }
        if (!none) {
            throw fail(
                    node,
                    "pads by " + (pads == null ? "amounts computed while running" : java.util.Arrays.toString(pads))
                            + "; Keiryo imports padding as part of Conv, MaxPool or AveragePool, and a Pad"
                            + " node only when it pads nothing.");
        }
        define(node, use(node, 0));
    }

    private void softmax(Onnx.NodeProto node) {
        Act x = use(node, 0);
        long axis = OnnxProtos.intAttr(node, "axis", x.rank() - 1);
        if (x.rank() != 2 || (axis != 1 && axis != -1)) {
            throw fail(
                    node,
                    "applies softmax to " + x.describe() + " on axis " + axis + "; Keiryo imports Softmax"
                            + " over the class scores, as the last operator.");
        }
        acts.put(node.getOutput(0), new Act(x.vertex(), x.c(), x.h(), x.w(), x.cnn(), x.rank(), true));
    }

    // ---- helpers ----

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
                throw fail(
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
                    throw fail(
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
                throw fail(
                        node,
                        "has auto_pad " + autoPad + "; Keiryo imports NOTSET (explicit pads),"
                                + " VALID and SAME_UPPER.");
        }
    }

    private String add(Onnx.NodeProto node, Object conf, Act input, String weight) {
        return plan(node, conf, List.of(input.vertex()), weight);
    }

    private String plan(Onnx.NodeProto node, Object conf, List<String> inputs, String weight) {
        if (!(conf instanceof org.deeplearning4j.nn.conf.layers.Layer) && !(conf instanceof GraphVertex)) {
            throw new IllegalArgumentException("not a layer or vertex: " + conf);
        }
        String name = uniqueName(node, weight);
        plans.put(name, new Plan(name, conf, inputs, node.getOpType()));
        return name;
    }

    /** PyTorch names weights after their module ({@code layer1.0.conv1.weight}), the best name a layer can get. */
    private String uniqueName(Onnx.NodeProto node, String weight) {
        String base = weight != null && weight.endsWith(".weight")
                ? weight.substring(0, weight.length() - ".weight".length())
                : node.getName();
        base = base.replaceAll("^/+", "").replace('/', '.').replaceAll("[^A-Za-z0-9._-]", "_");
        if (base.isEmpty()) {
            base = node.getOpType().toLowerCase(Locale.ROOT);
        }
        String name = base;
        for (int i = 2; !names.add(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    private static String weightName(Onnx.NodeProto node) {
        return node.getInputCount() > 1 ? node.getInput(1) : null;
    }

    private void define(Onnx.NodeProto node, Act act) {
        acts.put(node.getOutput(0), act);
    }

    private boolean optionalInput(Onnx.NodeProto node, int i) {
        return node.getInputCount() > i && !node.getInput(i).isEmpty();
    }

    private boolean usedOutput(Onnx.NodeProto node, int i) {
        return node.getOutputCount() > i && !node.getOutput(i).isEmpty() && uses(node.getOutput(i)) > 0;
    }

    /** Input {@code i} as an activation, refusing a constant, a Softmax's output or a tensor never defined. */
    Act use(Onnx.NodeProto node, int i) {
        String tensor = node.getInputCount() > i ? node.getInput(i) : "";
        Act a = acts.get(tensor);
        if (a == null) {
            if (constants.containsKey(tensor)) {
                throw fail(
                        node,
                        "takes the constant '" + tensor + "' where Keiryo imports activations; only"
                                + " weights, biases and shapes may be constants.");
            }
            throw missing(node, tensor);
        }
        if (a.probabilities()) {
            throw fail(
                    node,
                    "uses the output of a Softmax; Keiryo imports Softmax only as the model's last" + " operator.");
        }
        return a;
    }

    private KeiryoException missing(Onnx.NodeProto node, String tensor) {
        return fail(
                node,
                "uses tensor '" + tensor + "', which no input, initializer or earlier node defines; the"
                        + " file may be cut short or its nodes out of order: export it again.");
    }

    private Act image(Onnx.NodeProto node, int i) {
        Act x = use(node, i);
        if (x.rank() != 4 || !x.cnn()) {
            throw fail(
                    node,
                    "takes " + x.describe() + "; Keiryo imports " + node.getOpType() + " on images" + " N x C x H x W"
                            + (x.rank() == 4 ? " before global pooling." : "."));
        }
        return x;
    }

    private Act vector(Onnx.NodeProto node, int i) {
        Act x = use(node, i);
        if (x.rank() != 2) {
            throw fail(
                    node,
                    "takes " + x.describe() + "; Keiryo imports " + node.getOpType() + " on one vector"
                            + " per example (flatten first).");
        }
        return x;
    }

    private INDArray weights(Onnx.NodeProto node, int i, String what) {
        String tensor = node.getInputCount() > i ? node.getInput(i) : "";
        Onnx.TensorProto t = constants.get(tensor);
        if (t == null) {
            if (acts.containsKey(tensor)) {
                throw fail(
                        node,
                        "computes its " + what + " while running ('" + tensor + "'); Keiryo imports " + node.getOpType()
                                + " whose " + what + " are constants (initializers or Constant nodes).");
            }
            throw missing(node, tensor);
        }
        return OnnxProtos.floats(t, "ONNX model " + model + ": tensor '" + tensor + "'");
    }
}
