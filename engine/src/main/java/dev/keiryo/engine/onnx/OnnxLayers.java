package dev.keiryo.engine.onnx;

import dev.keiryo.engine.onnx.OnnxGraphReader.Act;
import dev.keiryo.engine.onnx.OnnxGraphReader.Plan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The operators that become a DL4J layer or vertex of their own, other than Conv and pooling (which
 * {@link OnnxWindows} reads): linear layers, batch norm, activations, and the joins of residual and
 * branched networks.
 */
final class OnnxLayers {
    private final OnnxGraphReader graph;
    private final OnnxNodeInputs inputs;

    OnnxLayers(OnnxGraphReader graph, OnnxNodeInputs inputs) {
        this.graph = graph;
        this.inputs = inputs;
    }

    void gemm(Onnx.NodeProto node) {
        Act a = inputs.vector(node, 0);
        if (OnnxProtos.intAttr(node, "transA", 0) != 0) {
            throw inputs.fail(
                    node, "has transA 1; Keiryo imports Gemm whose first input is the activations as they are.");
        }
        INDArray bMat = inputs.weights(node, 1, "weights");
        if (bMat.rank() != 2) {
            throw inputs.fail(
                    node,
                    "multiplies by a tensor of rank " + bMat.rank() + "; Keiryo imports Gemm of the activations"
                            + " by a constant matrix.");
        }
        INDArray w = OnnxProtos.intAttr(node, "transB", 0) != 0 ? bMat.transpose() : bMat;
        w = w.mul(OnnxProtos.floatAttr(node, "alpha", 1f));
        INDArray bias = Nd4j.zeros(w.dataType(), w.size(1));
        if (OnnxNodeInputs.optionalInput(node, 2)) {
            INDArray c = inputs.weights(node, 2, "bias");
            if (c.length() != w.size(1) && c.length() != 1) {
                throw inputs.fail(
                        node,
                        "has a bias of " + c.length() + " values for " + w.size(1) + " outputs; Keiryo"
                                + " imports a bias with one value per output.");
            }
            bias.addi(c.reshape(-1).mul(OnnxProtos.floatAttr(node, "beta", 1f)));
        }
        dense(node, a, w, bias);
    }

    void matMul(Onnx.NodeProto node) {
        Act a = inputs.vector(node, 0);
        INDArray w = inputs.weights(node, 1, "weights");
        if (w.rank() != 2) {
            throw inputs.fail(
                    node,
                    "multiplies by a tensor of rank " + w.rank() + "; Keiryo imports MatMul of the"
                            + " activations by a constant matrix [in, out].");
        }
        dense(node, a, w, Nd4j.zeros(w.dataType(), w.size(1)));
    }

    private void dense(Onnx.NodeProto node, Act a, INDArray w, INDArray bias) {
        if (w.size(0) != a.features()) {
            throw inputs.fail(
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
        String name = graph.add(node, conf, a, OnnxGraphReader.weightName(node));
        Map<String, INDArray> p = graph.params.computeIfAbsent(name, n -> new HashMap<>());
        p.put("W", w.dup('c'));
        p.put("b", bias);
        graph.define(node, new Act(name, w.size(1), 1, 1, false, 2, false));
    }

    void add(Onnx.NodeProto node) {
        String left = node.getInput(0);
        String right = node.getInput(1);
        if (graph.act(left) != null && graph.act(right) != null) {
            Act a = inputs.use(node, 0);
            Act b = inputs.use(node, 1);
            if (a.c() != b.c() || a.h() != b.h() || a.w() != b.w() || a.rank() != b.rank() || a.cnn() != b.cnn()) {
                throw inputs.fail(
                        node,
                        "adds " + a.describe() + " and " + b.describe() + "; Keiryo imports Add of two"
                                + " activations of the same shape (no broadcasting).");
            }
            String name = graph.plan(
                    node, new ElementWiseVertex(ElementWiseVertex.Op.Add), List.of(a.vertex(), b.vertex()), null);
            graph.define(node, new Act(name, a.c(), a.h(), a.w(), a.cnn(), a.rank(), false));
            return;
        }
        // MatMul then Add of a constant is how exporters write a linear layer: the constant is its bias.
        int actIndex = graph.act(left) != null ? 0 : 1;
        Act a = inputs.use(node, actIndex);
        INDArray c = inputs.weights(node, 1 - actIndex, "addend");
        Plan producer = graph.plans.get(a.vertex());
        boolean bias = producer != null
                && producer.conf() instanceof DenseLayer
                && a.rank() == 2
                && graph.uses(node.getInput(actIndex)) == 1
                && (c.length() == a.c() || c.length() == 1);
        if (!bias) {
            throw inputs.fail(
                    node,
                    "adds a constant to " + a.describe() + "; Keiryo imports Add of a constant only as the"
                            + " bias of the MatMul or Gemm right before it.");
        }
        graph.params.get(a.vertex()).get("b").addi(c.reshape(-1));
        graph.define(node, a);
    }

    void batchNorm(Onnx.NodeProto node) {
        Act x = inputs.use(node, 0);
        if (!(x.rank() == 4 && x.cnn()) && !(x.rank() == 2 && !x.cnn())) {
            throw inputs.fail(
                    node, "normalises " + x.describe() + "; Keiryo imports batch norm of images or of vectors.");
        }
        if (OnnxProtos.intAttr(node, "training_mode", 0) != 0 || inputs.usedOutput(node, 1)) {
            throw inputs.fail(
                    node,
                    "is in training mode; export the model in eval mode"
                            + " (model.eval() and training=torch.onnx.TrainingMode.EVAL).");
        }
        INDArray gamma = inputs.weights(node, 1, "scale").reshape(-1);
        INDArray beta = inputs.weights(node, 2, "bias").reshape(-1);
        INDArray mean = inputs.weights(node, 3, "mean").reshape(-1);
        INDArray var = inputs.weights(node, 4, "variance").reshape(-1);
        double eps = OnnxProtos.floatAttr(node, "epsilon", 1e-5f);
        BatchNormalization conf = new BatchNormalization.Builder()
                .nIn(x.c())
                .nOut(x.c())
                .eps(eps)
                .decay(OnnxProtos.floatAttr(node, "momentum", 0.9f))
                .build();
        String name = graph.add(node, conf, x, OnnxGraphReader.weightName(node));
        Map<String, INDArray> p = graph.params.computeIfAbsent(name, n -> new HashMap<>());
        p.put("gamma", gamma);
        p.put("beta", beta);
        p.put("mean", mean);
        p.put("var", var);
        // DL4J keeps log10(sqrt(var + eps)) and subtracts eps again when it rebuilds the variance.
        p.put("log10stdev", Transforms.log(Transforms.sqrt(var.add(eps)), 10.0));
        graph.define(node, x.withVertex(name));
    }

    void activation(Onnx.NodeProto node, IActivation fn) {
        Act x = inputs.use(node, 0);
        String name =
                graph.add(node, new ActivationLayer.Builder().activation(fn).build(), x, null);
        graph.define(node, x.withVertex(name));
    }

    void clip(Onnx.NodeProto node) {
        float min;
        float max;
        if (OnnxProtos.attribute(node, "min") != null || OnnxProtos.attribute(node, "max") != null) {
            min = OnnxProtos.floatAttr(node, "min", Float.NEGATIVE_INFINITY);
            max = OnnxProtos.floatAttr(node, "max", Float.POSITIVE_INFINITY);
        } else {
            min = OnnxNodeInputs.optionalInput(node, 1)
                    ? inputs.weights(node, 1, "min").getFloat(0)
                    : Float.NEGATIVE_INFINITY;
            max = OnnxNodeInputs.optionalInput(node, 2)
                    ? inputs.weights(node, 2, "max").getFloat(0)
                    : Float.POSITIVE_INFINITY;
        }
        if (min == 0f && max == 6f) {
            activation(node, Activation.RELU6.getActivationFunction());
        } else if (min == 0f && max == Float.POSITIVE_INFINITY) {
            activation(node, Activation.RELU.getActivationFunction());
        } else {
            throw inputs.fail(
                    node,
                    "clips to [" + min + ", " + max + "]; Keiryo imports Clip to [0, 6] (ReLU6) or to"
                            + " [0, infinity) (ReLU).");
        }
    }

    void concat(Onnx.NodeProto node) {
        List<Act> in = new ArrayList<>();
        for (int i = 0; i < node.getInputCount(); i++) {
            in.add(inputs.use(node, i));
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
                throw inputs.fail(
                        node,
                        "joins " + a.describe() + " and " + first.describe() + " on axis " + axis
                                + "; Keiryo imports Concat on the channel axis (1) of images of the same size, or of"
                                + " vectors.");
            }
            channels += a.c();
        }
        String name =
                graph.plan(node, new MergeVertex(), in.stream().map(Act::vertex).toList(), null);
        graph.define(node, new Act(name, channels, first.h(), first.w(), first.cnn(), first.rank(), false));
    }
}
