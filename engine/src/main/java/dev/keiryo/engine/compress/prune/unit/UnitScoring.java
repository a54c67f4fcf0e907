package dev.keiryo.engine.compress.prune.unit;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.UnitCriterion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Computes {@link UnitScores}; see {@link UnitCriterion} for what each criterion measures. */
final class UnitScoring {
    private UnitScoring() {}

    /** Scores of one layer, by its position among the graph's layers. */
    static UnitScores score(
            ComputationGraph net, int layerIndex, UnitCriterion c, DataSetIterator data, int maxBatches) {
        UnitGroups groups = new UnitGroups(net.getConfiguration());
        List<String> names = groups.layerNames();
        if (layerIndex < 0 || layerIndex >= names.size()) {
            throw new KeiryoException("layer index " + layerIndex + " is outside this network's layers 0.."
                    + (names.size() - 1) + "; give the index of one of " + groups.prunableNames() + ".");
        }
        return score(net, groups, List.of(names.get(layerIndex)), c, data, maxBatches)
                .get(names.get(layerIndex));
    }

    /**
     * Scores of several layers; the activation criteria read the data once for all of them, so
     * ranking every group of a ResNet costs one pass over the scoring batches.
     */
    static Map<String, UnitScores> score(
            ComputationGraph net,
            UnitGroups groups,
            List<String> layers,
            UnitCriterion c,
            DataSetIterator data,
            int maxBatches) {
        if (c == null) {
            throw new KeiryoException(
                    "no unit pruning criterion was given; choose one of L1, L2, MEAN_ACTIVATION or APOZ.");
        }
        for (String name : layers) {
            Layer l = groups.layer(name);
            if (l == null || !(UnitGroups.isDense(l) || UnitGroups.isConv(l))) {
                throw new KeiryoException("layer '" + name + "' is a "
                        + (l == null ? "vertex" : l.getClass().getSimpleName()) + ", which has no units to score"
                        + " (only dense, output and NCHW convolution layers have units to score); choose one of "
                        + groups.prunableNames() + ".");
            }
        }
        Map<String, UnitScores> out = new LinkedHashMap<>();
        if (!c.needsData()) {
            for (String name : layers) {
                out.put(
                        name,
                        new UnitScores(
                                groups.indexOf(name),
                                name,
                                c,
                                weightNorms(net, name, c),
                                true,
                                (c == UnitCriterion.L1 ? "L1" : "L2") + " norm of each unit's incoming weights"));
            }
            return out;
        }
        if (data == null) {
            throw new KeiryoException(
                    "criterion " + c + " ranks units by their activations on data, but no data iterator"
                            + " was given; pass a few batches of training or validation data, or use L1 or L2.");
        }
        if (maxBatches < 1) {
            throw new KeiryoException("the number of batches for unit scoring is " + maxBatches
                    + " but must be at least 1;" + " use e.g. " + UnitPruning.DEFAULT_SCORING_BATCHES + ".");
        }
        return activationScores(net, groups, layers, c, data, maxBatches);
    }

    private static double[] weightNorms(ComputationGraph net, String layer, UnitCriterion c) {
        INDArray w = net.getLayer(layer).getParam("W").castTo(DataType.DOUBLE);
        int[] incoming = w.rank() == 2 ? new int[] {0} : new int[] {1, 2, 3};
        INDArray norms = c == UnitCriterion.L1 ? w.norm1(incoming) : w.norm2(incoming);
        return norms.toDoubleVector();
    }

    /**
     * Reads up to {@code maxBatches} batches from the start of the iterator (it is reset first when
     * it supports that) and averages over examples and, for convolutions, over positions.
     */
    private static Map<String, UnitScores> activationScores(
            ComputationGraph net,
            UnitGroups groups,
            List<String> layers,
            UnitCriterion c,
            DataSetIterator data,
            int maxBatches) {
        Map<String, String> observed = new LinkedHashMap<>();
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (String name : layers) {
            String source = groups.activationSource(name);
            observed.put(name, source != null ? source : name);
        }
        if (data.resetSupported()) {
            data.reset();
        }
        long[] counts = new long[layers.size()];
        int batches = 0;
        while (batches < maxBatches && data.hasNext()) {
            DataSet ds = data.next();
            Map<String, INDArray> acts = net.feedForward(new INDArray[] {ds.getFeatures()}, false, false);
            int li = 0;
            for (String name : layers) {
                boolean zeros = c == UnitCriterion.APOZ && groups.activationSource(name) != null;
                INDArray a = acts.get(observed.get(name)).castTo(DataType.DOUBLE);
                int[] perUnit = a.rank() == 4 ? new int[] {0, 2, 3} : new int[] {0};
                INDArray part = zeros
                        ? a.eq(0.0).castTo(DataType.DOUBLE).sum(perUnit)
                        : Transforms.abs(a, true).sum(perUnit);
                double[] v = part.toDoubleVector();
                double[] sum = sums.computeIfAbsent(name, k -> new double[v.length]);
                for (int u = 0; u < v.length; u++) {
                    sum[u] += v[u];
                }
                counts[li++] += a.length() / v.length;
            }
            batches++;
        }
        if (batches == 0) {
            throw new KeiryoException("the data iterator for unit scoring gave no batches; pass an iterator with data"
                    + " (reset it, or use a non-empty data set).");
        }
        Map<String, UnitScores> out = new LinkedHashMap<>();
        int li = 0;
        for (String name : layers) {
            double[] sum = sums.get(name);
            long count = counts[li++];
            for (int u = 0; u < sum.length; u++) {
                sum[u] /= count;
            }
            out.put(name, scores(groups, name, c, sum));
        }
        return out;
    }

    private static UnitScores scores(UnitGroups groups, String name, UnitCriterion c, double[] values) {
        String source = groups.activationSource(name);
        boolean zeros = c == UnitCriterion.APOZ && source != null;
        String where = name.equals(source)
                ? ""
                : source != null
                        ? " after " + source + " (" + UnitGroups.activationName(groups.layer(source)) + ")"
                        : "";
        String measure;
        if (zeros) {
            measure = "APoZ" + where;
        } else if (source == null) {
            measure = "mean |activation| (" + name + " has the identity activation and no non-linearity follows"
                    + " before the next layer with weights"
                    + (c == UnitCriterion.APOZ ? ", so zeros cannot be counted)" : ")");
        } else {
            measure = "mean |activation|" + where;
        }
        return new UnitScores(groups.indexOf(name), name, c, values, !zeros, measure);
    }
}
