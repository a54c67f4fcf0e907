package dev.keiryo.engine.onnx.export;

import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.onnx.ort.OrtModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Activation ranges for the int8 export: the float32 model, with every tensor the int8 model
 * quantizes made an output, runs in ONNX Runtime on training examples, and each tensor's smallest
 * and largest value is kept (min-max calibration). Training examples only: the test set must not
 * shape the model it measures.
 */
final class Calibration {
    private static final int BATCH = 64;

    private Calibration() {}

    /** Ranges over the first {@code count} examples of {@code train} (all of them when it has fewer). */
    static Map<String, Int8.Range> ranges(OnnxNetwork net, Dataset train, int count) {
        Set<String> tensors = OnnxGraphWriter.quantizedTensors(net.ops());
        List<String> inner = new ArrayList<>(tensors);
        inner.remove(OnnxNetwork.INPUT);
        Map<String, Int8.Range> ranges = new HashMap<>();
        int n = Math.min(count, train.size());
        int d = train.featureCount();
        long[] shape = net.inputDims();
        try (OrtModel m = OrtModel.open(net.floatModel(inner).toByteArray(), OrtModel.Options.DEFAULT, "calibration")) {
            for (int start = 0; start < n; start += BATCH) {
                int b = Math.min(BATCH, n - start);
                float[] x = Arrays.copyOfRange(train.features(), start * d, (start + b) * d);
                shape[0] = b;
                if (tensors.contains(OnnxNetwork.INPUT)) {
                    ranges.merge(OnnxNetwork.INPUT, range(x), Int8.Range::union);
                }
                for (Map.Entry<String, float[]> e : m.runAll(x, shape).entrySet()) {
                    if (tensors.contains(e.getKey())) {
                        ranges.merge(e.getKey(), range(e.getValue()), Int8.Range::union);
                    }
                }
            }
        }
        shareThroughMoves(net.ops(), ranges);
        return ranges;
    }

    /**
     * Max pooling, flatten and reshape only move values, so their output keeps their input's scale
     * and zero point: ONNX Runtime then drops the DequantizeLinear/QuantizeLinear pair around them
     * and runs them on uint8 directly, instead of converting to float and back.
     */
    private static void shareThroughMoves(List<ExportOp> ops, Map<String, Int8.Range> ranges) {
        for (ExportOp op : ops) {
            boolean moves = op instanceof ExportOp.Flatten
                    || op instanceof ExportOp.Reshape
                    || (op instanceof ExportOp.Pool p && p.max())
                    || (op instanceof ExportOp.GlobalPool g && g.max());
            Int8.Range in = ranges.get(op.inputs().get(0));
            if (moves && in != null && ranges.containsKey(op.output())) {
                ranges.put(op.output(), in);
            }
        }
    }

    private static Int8.Range range(float[] v) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float f : v) {
            min = Math.min(min, f);
            max = Math.max(max, f);
        }
        return new Int8.Range(min, max);
    }
}
