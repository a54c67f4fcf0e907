package dev.keiryo.engine.compress.prune.unit;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.UnitCriterion;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Computes {@link UnitScores}; see {@link UnitCriterion} for what each criterion measures. */
final class UnitScoring {
    private UnitScoring() {}

    static UnitScores score(
            MultiLayerNetwork net, int layerIndex, UnitCriterion c, DataSetIterator data, int maxBatches) {
        if (c == null) {
            throw new KeiryoException(
                    "no unit pruning criterion was given; choose one of L1, L2, MEAN_ACTIVATION or APOZ.");
        }
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        if (layerIndex < 0 || layerIndex >= UnitTopology.size(conf)) {
            throw new KeiryoException("layer index " + layerIndex + " is outside this network's layers 0.."
                    + (UnitTopology.size(conf) - 1) + "; give the index of one of " + UnitTopology.prunableNames(conf)
                    + ".");
        }
        Layer l = UnitTopology.layer(conf, layerIndex);
        String name = UnitTopology.name(conf, layerIndex);
        if (!UnitTopology.isScorable(l)) {
            throw new KeiryoException(
                    "layer '" + name + "' is a " + UnitTopology.type(l) + ", which has no units to score"
                            + " (only dense, output and NCHW convolution layers have units to score); choose one of "
                            + UnitTopology.prunableNames(conf) + ".");
        }
        if (!c.needsData()) {
            return new UnitScores(
                    layerIndex,
                    name,
                    c,
                    weightNorms(net, layerIndex, c),
                    true,
                    (c == UnitCriterion.L1 ? "L1" : "L2") + " norm of each unit's incoming weights");
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
        return activationScores(net, layerIndex, c, data, maxBatches);
    }

    private static double[] weightNorms(MultiLayerNetwork net, int i, UnitCriterion c) {
        INDArray w = net.getLayer(i).getParam("W").castTo(DataType.DOUBLE);
        int[] incoming = w.rank() == 2 ? new int[] {0} : new int[] {1, 2, 3};
        INDArray norms = c == UnitCriterion.L1 ? w.norm1(incoming) : w.norm2(incoming);
        return norms.toDoubleVector();
    }

    /**
     * Reads up to {@code maxBatches} batches from the start of the iterator (it is reset first when
     * it supports that) and averages over examples and, for convolutions, over positions.
     */
    private static UnitScores activationScores(
            MultiLayerNetwork net, int i, UnitCriterion c, DataSetIterator data, int maxBatches) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        int source = UnitTopology.activationSource(conf, i);
        boolean zeros = c == UnitCriterion.APOZ && source >= 0;
        int observed = source >= 0 ? source : i;
        if (data.resetSupported()) {
            data.reset();
        }
        double[] sum = null;
        long count = 0;
        int batches = 0;
        while (batches < maxBatches && data.hasNext()) {
            DataSet ds = data.next();
            List<INDArray> acts = net.feedForwardToLayer(observed, ds.getFeatures(), false);
            INDArray a = acts.get(observed + 1).castTo(DataType.DOUBLE);
            int[] perUnit = a.rank() == 4 ? new int[] {0, 2, 3} : new int[] {0};
            INDArray part = zeros
                    ? a.eq(0.0).castTo(DataType.DOUBLE).sum(perUnit)
                    : Transforms.abs(a, true).sum(perUnit);
            double[] v = part.toDoubleVector();
            if (sum == null) {
                sum = new double[v.length];
            }
            for (int u = 0; u < v.length; u++) {
                sum[u] += v[u];
            }
            count += a.length() / v.length;
            batches++;
        }
        if (sum == null) {
            throw new KeiryoException("the data iterator for unit scoring gave no batches; pass an iterator with data"
                    + " (reset it, or use a non-empty data set).");
        }
        for (int u = 0; u < sum.length; u++) {
            sum[u] /= count;
        }
        String name = UnitTopology.name(conf, i);
        String where = source == i
                ? ""
                : source >= 0
                        ? " after " + UnitTopology.name(conf, source) + " ("
                                + UnitTopology.activationName(UnitTopology.layer(conf, source)) + ")"
                        : "";
        String measure;
        if (zeros) {
            measure = "APoZ" + where;
        } else if (source < 0) {
            measure = "mean |activation| (" + name + " has the identity activation and no non-linearity follows"
                    + " before the next layer with weights"
                    + (c == UnitCriterion.APOZ ? ", so zeros cannot be counted)" : ")");
        } else {
            measure = "mean |activation|" + where;
        }
        return new UnitScores(i, name, c, sum, !zeros, measure);
    }
}
