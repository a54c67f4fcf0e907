package dev.keiryo.engine.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Re-estimates the running mean and variance of every batch norm from training batches, keeping
 * all weights. Removing channels changes what every later batch norm sees, so the statistics
 * learned on the unpruned network no longer normalize it: a ResNet that lost a few channels of a
 * residual stream can fall to chance until its statistics are measured again ("adaptive batch
 * norm", Li et al., EagleEye, 2020).
 *
 * <p>The estimate is the mean over batches of the batch statistics, each batch forwarded in
 * training mode so every batch norm normalizes with the statistics of its own input, as it will
 * during fine-tuning.
 */
public final class BatchNormRecalibration {
    /** Enough batches of 128 for per-channel statistics within about 1% on image data. */
    public static final int DEFAULT_BATCHES = 32;

    private BatchNormRecalibration() {}

    /** Whether {@code net} has a batch norm whose statistics {@link #recalibrate} would measure. */
    public static boolean applies(ComputationGraph net) {
        return !batchNorms(net.getConfiguration()).isEmpty();
    }

    /**
     * Measures the statistics on up to {@code maxBatches} batches from the start of {@code data}
     * (reset first when it can be) and writes them into the batch norms; returns the batches read.
     */
    public static int recalibrate(ComputationGraph net, DataSetIterator data, int maxBatches) {
        ComputationGraphConfiguration conf = net.getConfiguration();
        List<String> bns = batchNorms(conf);
        if (bns.isEmpty() || maxBatches < 1) {
            return 0;
        }
        Map<String, INDArray> meanSum = new LinkedHashMap<>();
        Map<String, INDArray> varSum = new LinkedHashMap<>();
        if (data.resetSupported()) {
            data.reset();
        }
        int batches = 0;
        while (batches < maxBatches && data.hasNext()) {
            DataSet ds = data.next();
            Map<String, INDArray> acts = net.feedForward(new INDArray[] {ds.getFeatures()}, true, false);
            for (String bn : bns) {
                String in = conf.getVertexInputs().get(bn).get(0);
                INDArray x = (acts.containsKey(in) ? acts.get(in) : ds.getFeatures()).castTo(DataType.DOUBLE);
                int[] perChannel = x.rank() == 4 ? new int[] {0, 2, 3} : new int[] {0};
                INDArray mean = x.mean(perChannel);
                INDArray var = x.var(false, perChannel);
                meanSum.merge(bn, mean, INDArray::addi);
                varSum.merge(bn, var, INDArray::addi);
            }
            batches++;
        }
        if (batches == 0) {
            return 0;
        }
        for (String bn : bns) {
            BatchNormalization conf0 = (BatchNormalization)
                    ((LayerVertex) conf.getVertices().get(bn)).getLayerConf().getLayer();
            Map<String, INDArray> p = net.getLayer(bn).paramTable();
            INDArray mean = meanSum.get(bn).divi(batches);
            INDArray var = varSum.get(bn).divi(batches);
            p.get("mean").assign(mean.reshape(p.get("mean").shape()));
            if (p.containsKey("log10stdev")) {
                INDArray log10std = Transforms.log(Transforms.sqrt(var.add(conf0.getEps()), false), 10.0, false);
                p.get("log10stdev").assign(log10std.reshape(p.get("log10stdev").shape()));
            } else {
                p.get("var").assign(var.reshape(p.get("var").shape()));
            }
        }
        Nd4j.getExecutioner().commit();
        return batches;
    }

    private static List<String> batchNorms(ComputationGraphConfiguration conf) {
        List<String> out = new ArrayList<>();
        for (String v : conf.getTopologicalOrderStr()) {
            if (conf.getVertices().get(v) instanceof LayerVertex lv
                    && lv.getLayerConf().getLayer() instanceof BatchNormalization) {
                out.add(v);
            }
        }
        return out;
    }
}
