package dev.keiryo.engine.onnx;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.onnx.OnnxGraphReader.Act;
import onnx.Onnx;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A node's inputs and outputs as the operators may take them. Every operator goes through here so
 * that a tensor of the wrong kind (a constant where activations go, activations where weights go, a
 * tensor nothing defines) stops the import with the same sentence whichever operator meets it.
 */
final class OnnxNodeInputs {
    private final String model;
    private final OnnxGraphReader graph;

    OnnxNodeInputs(String model, OnnxGraphReader graph) {
        this.model = model;
        this.graph = graph;
    }

    KeiryoException fail(Onnx.NodeProto node, String what) {
        String name = !node.getName().isEmpty() || node.getOutputCount() == 0 ? node.getName() : node.getOutput(0);
        return new KeiryoException("ONNX model " + model + ": node '" + name + "' (" + node.getOpType() + ") " + what);
    }

    KeiryoException missing(Onnx.NodeProto node, String tensor) {
        return fail(
                node,
                "uses tensor '" + tensor + "', which no input, initializer or earlier node defines; the"
                        + " file may be cut short or its nodes out of order: export it again.");
    }

    /** Input {@code i}'s name, empty when the node has fewer inputs, so that it reads as a missing tensor. */
    static String input(Onnx.NodeProto node, int i) {
        return node.getInputCount() > i ? node.getInput(i) : "";
    }

    static boolean optionalInput(Onnx.NodeProto node, int i) {
        return node.getInputCount() > i && !node.getInput(i).isEmpty();
    }

    boolean usedOutput(Onnx.NodeProto node, int i) {
        return node.getOutputCount() > i && !node.getOutput(i).isEmpty() && graph.uses(node.getOutput(i)) > 0;
    }

    /** Input {@code i} as an activation, refusing a constant, a Softmax's output or a tensor never defined. */
    Act use(Onnx.NodeProto node, int i) {
        String tensor = input(node, i);
        Act a = graph.act(tensor);
        if (a == null) {
            if (graph.isConstant(tensor)) {
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

    Act image(Onnx.NodeProto node, int i) {
        Act x = use(node, i);
        if (x.rank() != 4 || !x.cnn()) {
            throw fail(
                    node,
                    "takes " + x.describe() + "; Keiryo imports " + node.getOpType() + " on images" + " N x C x H x W"
                            + (x.rank() == 4 ? " before global pooling." : "."));
        }
        return x;
    }

    Act vector(Onnx.NodeProto node, int i) {
        Act x = use(node, i);
        if (x.rank() != 2) {
            throw fail(
                    node,
                    "takes " + x.describe() + "; Keiryo imports " + node.getOpType() + " on one vector"
                            + " per example (flatten first).");
        }
        return x;
    }

    INDArray weights(Onnx.NodeProto node, int i, String what) {
        String tensor = input(node, i);
        Onnx.TensorProto t = graph.constant(tensor);
        if (t == null) {
            if (graph.act(tensor) != null) {
                throw fail(
                        node,
                        "computes its " + what + " while running ('" + tensor + "'); Keiryo imports " + node.getOpType()
                                + " whose " + what + " are constants (initializers or Constant nodes).");
            }
            throw missing(node, tensor);
        }
        return OnnxProtos.floats(t, "ONNX model " + model + ": tensor '" + tensor + "'");
    }

    /** The constant {@code tensor} as integers; a damaged one is reported as the node's {@code what}. */
    long[] longs(Onnx.NodeProto node, String tensor, String what) {
        return OnnxProtos.longs(
                graph.constant(tensor), "ONNX model " + model + ": the " + what + " of " + node.getName());
    }
}
