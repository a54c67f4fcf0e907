package dev.keiryo.engine.model;

import dev.keiryo.engine.api.model.WeightHistogram;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reads a network's weights into {@link WeightHistogram}s and sorted magnitudes. */
public final class WeightHistograms {
    private WeightHistograms() {}

    /** The weight matrices ("W") of layer {@code index}, or of every layer when {@code index} is negative. */
    public static WeightHistogram of(ComputationGraph net, int index, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, got " + bins);
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int from = index < 0 ? 0 : index;
        int to = index < 0 ? Layers.count(net) : index + 1;
        for (int i = from; i < to; i++) {
            for (float v : weights(net, i)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        long[] counts = new long[bins];
        long zeros = 0;
        if (min > max) {
            return new WeightHistogram(name(net, index), 0, 0, counts, 0);
        }
        double width = max > min ? (max - min) / bins : 1;
        for (int i = from; i < to; i++) {
            for (float v : weights(net, i)) {
                if (v == 0f) {
                    zeros++;
                } else {
                    counts[Math.min(bins - 1, (int) ((v - min) / width))]++;
                }
            }
        }
        return new WeightHistogram(name(net, index), min, max, counts, zeros);
    }

    /**
     * |w| of every weight matrix, sorted ascending: the global magnitude threshold that removes a
     * share s of the weights is element {@code floor(s * length)}.
     */
    public static float[] sortedMagnitudes(ComputationGraph net) {
        int n = 0;
        float[][] parts = new float[Layers.count(net)][];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = weights(net, i);
            n += parts[i].length;
        }
        float[] all = new float[n];
        int at = 0;
        for (float[] p : parts) {
            for (float v : p) {
                all[at++] = Math.abs(v);
            }
        }
        java.util.Arrays.sort(all);
        return all;
    }

    private static float[] weights(ComputationGraph net, int layer) {
        Map<String, INDArray> table = Layers.at(net, layer).paramTable();
        INDArray w = table.get("W");
        return w == null
                ? new float[0]
                : org.nd4j.linalg.factory.Nd4j.toFlattened('c', w)
                        .castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)
                        .toFloatVector();
    }

    private static String name(ComputationGraph net, int index) {
        if (index < 0) {
            return "all";
        }
        return Layers.names(net).get(index);
    }
}
