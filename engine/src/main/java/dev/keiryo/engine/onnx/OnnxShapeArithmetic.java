package dev.keiryo.engine.onnx;

import dev.keiryo.engine.onnx.OnnxGraphReader.Act;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import onnx.Onnx;

/**
 * The integer arithmetic exporters write to compute Reshape's target from an activation's shape
 * ({@code x.view(x.size(0), -1)} becomes Shape, Gather, Unsqueeze and Concat, often with Casts).
 * It is worked out while the graph is read, so the graph itself only ever sees the Reshape.
 */
final class OnnxShapeArithmetic {
    /** The batch size in a computed shape: known only while running, and what Reshape keeps. */
    static final long BATCH = Long.MIN_VALUE;

    private final OnnxGraphReader graph;
    private final OnnxNodeInputs inputs;
    /** Integer vectors computed from activations' shapes ({@code x.view(x.size(0), -1)}), batch as {@link #BATCH}. */
    private final Map<String, long[]> shapes = new HashMap<>();

    OnnxShapeArithmetic(OnnxGraphReader graph, OnnxNodeInputs inputs) {
        this.graph = graph;
        this.inputs = inputs;
    }

    /** The shape of an activation, for the shape arithmetic PyTorch writes for {@code x.view(x.size(0), -1)}. */
    void shape(Onnx.NodeProto node) {
        Act x = inputs.use(node, 0);
        if (OnnxProtos.attribute(node, "start") != null || OnnxProtos.attribute(node, "end") != null) {
            throw inputs.fail(node, "takes a slice of the shape; Keiryo imports Shape of the whole shape.");
        }
        shapes.put(
                node.getOutput(0),
                x.rank() == 4 ? new long[] {BATCH, x.c(), x.h(), x.w()} : new long[] {BATCH, x.features()});
    }

    void gather(Onnx.NodeProto node) {
        long[] data = integers(node, 0, "data");
        long[] indices = integers(node, 1, "indices");
        if (OnnxProtos.intAttr(node, "axis", 0) != 0) {
            throw inputs.fail(
                    node,
                    "gathers on an axis other than 0; Keiryo imports Gather only to pick entries of a" + " shape.");
        }
        long[] out = new long[indices.length];
        for (int i = 0; i < out.length; i++) {
            long k = indices[i] < 0 ? indices[i] + data.length : indices[i];
            if (k < 0 || k >= data.length) {
                throw inputs.fail(
                        node,
                        "picks entry " + indices[i] + " of a shape with " + data.length + " entries; the"
                                + " file is inconsistent, export it again.");
            }
            out[i] = data[(int) k];
        }
        shapes.put(node.getOutput(0), out);
    }

    /** Unsqueeze and Squeeze change a shape vector's rank, not its values, which is all Reshape reads. */
    void sameValues(Onnx.NodeProto node) {
        shapes.put(node.getOutput(0), integers(node, 0, "data"));
    }

    void concatShapes(Onnx.NodeProto node) {
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
        String tensor = OnnxNodeInputs.input(node, i);
        if (shapes.containsKey(tensor)) {
            return shapes.get(tensor);
        }
        if (graph.isConstant(tensor)) {
            return inputs.longs(node, tensor, what);
        }
        if (graph.act(tensor) != null) {
            throw inputs.fail(
                    node,
                    "takes activations as its " + what + "; Keiryo imports " + node.getOpType()
                            + " only on shapes and constants (as in x.view(x.size(0), -1)).");
        }
        throw inputs.missing(node, tensor);
    }

    /** Exporters cast constants (clip bounds, shapes) to the activations' type; the values stay what they are. */
    void cast(Onnx.NodeProto node) {
        String in = node.getInput(0);
        if (graph.isConstant(in)) {
            graph.defineConstant(node, graph.constant(in));
        } else if (shapes.containsKey(in)) {
            shapes.put(node.getOutput(0), shapes.get(in));
        } else if (OnnxProtos.intAttr(node, "to", OnnxProtos.FLOAT) == OnnxProtos.FLOAT) {
            graph.define(node, inputs.use(node, 0));
        } else {
            throw inputs.fail(
                    node,
                    "casts activations to " + OnnxProtos.typeName((int) OnnxProtos.intAttr(node, "to", 0))
                            + "; Keiryo imports float32 activations only.");
        }
    }

    void reshape(Onnx.NodeProto node) {
        Act x = inputs.use(node, 0);
        long[] shape = integers(node, 1, "target shape");
        long f = x.features();
        // The first entry is the batch: -1, 0 (copy), the running batch size, or the one the exporter saw.
        boolean flat = shape.length == 2 && (shape[1] == f || (shape[1] == -1 && shape[0] != -1));
        if (!flat) {
            throw inputs.fail(
                    node,
                    "reshapes " + x.describe() + " to "
                            + java.util.Arrays.toString(shape).replace(String.valueOf(BATCH), "N") + "; Keiryo"
                            + " imports Reshape only to one vector of " + f + " values per example.");
        }
        graph.define(node, x.as(2, x.cnn()));
    }
}
