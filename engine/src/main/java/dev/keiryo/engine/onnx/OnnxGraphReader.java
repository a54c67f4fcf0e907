package dev.keiryo.engine.onnx;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import onnx.Onnx;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.ndarray.INDArray;

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

    private final Map<String, Onnx.TensorProto> constants = new HashMap<>();
    private final Map<String, Act> acts = new HashMap<>();
    private final Map<String, Integer> uses = new HashMap<>();
    private final Set<String> names = new HashSet<>();
    final Map<String, Plan> plans = new LinkedHashMap<>();
    final Map<String, Map<String, INDArray>> params = new HashMap<>();

    private final OnnxNodeInputs inputs;
    private final OnnxShapeArithmetic shapes;
    private final OnnxWindows windows;
    private final OnnxLayers layers;

    OnnxGraphReader(String model, Onnx.GraphProto graph, String input, Act inputAct) {
        inputs = new OnnxNodeInputs(model, this);
        shapes = new OnnxShapeArithmetic(this, inputs);
        windows = new OnnxWindows(this, inputs);
        layers = new OnnxLayers(this, inputs);
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

    /** The constant's tensor, or null when it is an activation or unknown. */
    Onnx.TensorProto constant(String tensor) {
        return constants.get(tensor);
    }

    int uses(String tensor) {
        return uses.getOrDefault(tensor, 0);
    }

    void read(Onnx.NodeProto node) {
        int needed = inputsNeeded(node.getOpType());
        if (node.getInputCount() < needed || node.getOutputCount() < 1) {
            throw inputs.fail(
                    node,
                    "has " + node.getInputCount() + " input(s) and " + node.getOutputCount() + " output(s), where "
                            + node.getOpType() + " needs at least " + needed + " and one; the file is damaged:"
                            + " export it again.");
        }
        switch (node.getOpType()) {
            case "Constant" -> constantNode(node);
            case "Conv" -> windows.conv(node);
            case "Gemm" -> layers.gemm(node);
            case "MatMul" -> layers.matMul(node);
            case "Add" -> layers.add(node);
            case "BatchNormalization" -> layers.batchNorm(node);
            case "Relu" -> layers.activation(node, Activation.RELU.getActivationFunction());
            case "Sigmoid" -> layers.activation(node, Activation.SIGMOID.getActivationFunction());
            case "Tanh" -> layers.activation(node, Activation.TANH.getActivationFunction());
            case "LeakyRelu" ->
                layers.activation(node, new ActivationLReLU(OnnxProtos.floatAttr(node, "alpha", 0.01f)));
            case "Clip" -> layers.clip(node);
            case "MaxPool" -> windows.pool(node, SubsamplingLayer.PoolingType.MAX);
            case "AveragePool" -> windows.pool(node, SubsamplingLayer.PoolingType.AVG);
            case "GlobalAveragePool" -> windows.globalPool(node, PoolingType.AVG);
            case "GlobalMaxPool" -> windows.globalPool(node, PoolingType.MAX);
            case "Flatten" -> flatten(node);
            case "Reshape" -> shapes.reshape(node);
            case "Concat" -> {
                if (acts.containsKey(node.getInput(0))) {
                    layers.concat(node);
                } else {
                    shapes.concatShapes(node);
                }
            }
            case "Shape" -> shapes.shape(node);
            case "Gather" -> shapes.gather(node);
            case "Unsqueeze", "Squeeze" -> shapes.sameValues(node);
            case "Dropout", "Identity" -> alias(node);
            case "Cast" -> shapes.cast(node);
            case "Pad" -> pad(node);
            case "Softmax" -> softmax(node);
            default -> throw inputs.fail(node, "is an operator Keiryo does not import; it imports " + SUPPORTED + ".");
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

    // ---- operators that add no vertex, only tell the graph what a tensor is ----

    private void constantNode(Onnx.NodeProto node) {
        Onnx.AttributeProto value = OnnxProtos.attribute(node, "value");
        if (value == null || !value.hasT()) {
            throw inputs.fail(node, "has no tensor 'value'; Keiryo imports Constant nodes that hold a tensor.");
        }
        defineConstant(node, value.getT());
    }

    private void flatten(Onnx.NodeProto node) {
        Act x = inputs.use(node, 0);
        long axis = OnnxProtos.intAttr(node, "axis", 1);
        if (axis != 1) {
            throw inputs.fail(
                    node,
                    "flattens from axis " + axis + "; Keiryo imports Flatten from axis 1 (one vector per"
                            + " example).");
        }
        define(node, x.as(2, x.cnn()));
    }

    private void alias(Onnx.NodeProto node) {
        if (inputs.usedOutput(node, 1)) {
            throw inputs.fail(node, "has its mask used; Keiryo imports Dropout as it runs in inference (no mask).");
        }
        define(node, inputs.use(node, 0));
    }

    /** PyTorch's average pooling writes a Pad before AveragePool even when it pads nothing. */
    private void pad(Onnx.NodeProto node) {
        long[] pads = OnnxNodeInputs.optionalInput(node, 1)
                ? (constants.containsKey(node.getInput(1)) ? inputs.longs(node, node.getInput(1), "pads") : null)
                : OnnxProtos.intsAttr(node, "pads", new long[0]);
        boolean none = pads != null;
        for (int i = 0; none && i < pads.length; i++) {
            none = pads[i] == 0;
        }
        if (!none) {
            throw inputs.fail(
                    node,
                    "pads by " + (pads == null ? "amounts computed while running" : java.util.Arrays.toString(pads))
                            + "; Keiryo imports padding as part of Conv, MaxPool or AveragePool, and a Pad"
                            + " node only when it pads nothing.");
        }
        define(node, inputs.use(node, 0));
    }

    private void softmax(Onnx.NodeProto node) {
        Act x = inputs.use(node, 0);
        long axis = OnnxProtos.intAttr(node, "axis", x.rank() - 1);
        if (x.rank() != 2 || (axis != 1 && axis != -1)) {
            throw inputs.fail(
                    node,
                    "applies softmax to " + x.describe() + " on axis " + axis + "; Keiryo imports Softmax"
                            + " over the class scores, as the last operator.");
        }
        acts.put(node.getOutput(0), new Act(x.vertex(), x.c(), x.h(), x.w(), x.cnn(), x.rank(), true));
    }

    // ---- building the graph ----

    String add(Onnx.NodeProto node, Object conf, Act input, String weight) {
        return plan(node, conf, List.of(input.vertex()), weight);
    }

    String plan(Onnx.NodeProto node, Object conf, List<String> inputs, String weight) {
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

    static String weightName(Onnx.NodeProto node) {
        return node.getInputCount() > 1 ? node.getInput(1) : null;
    }

    void define(Onnx.NodeProto node, Act act) {
        acts.put(node.getOutput(0), act);
    }

    void defineConstant(Onnx.NodeProto node, Onnx.TensorProto value) {
        constants.put(node.getOutput(0), value);
    }
}
