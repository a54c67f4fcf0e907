package dev.keiryo.engine.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Folds inference-mode batch norm into the convolution or dense layer in front of it. Batch norm
 * computes {@code gamma * (z - mean) / std + beta} per channel, which is affine in {@code z = W x + b};
 * so {@code W' = W * gamma / std} (per output channel) and {@code b' = (b - mean) * gamma / std + beta}
 * give the same outputs with one layer fewer, and quantizing {@code W'} quantizes what really runs.
 *
 * <p>A batch norm is folded when its only input is a plain convolution (NCHW) or dense layer with
 * identity activation that feeds nothing else; the others are left as they are.
 */
public final class BatchNormFolding {
    private BatchNormFolding() {}

    /** The batch norm vertices {@link #fold} would remove, each with the layer it folds into. */
    public static Map<String, String> foldable(ComputationGraph net) {
        ComputationGraphConfiguration conf = net.getConfiguration();
        GraphTopology t = new GraphTopology(conf);
        Map<String, String> out = new LinkedHashMap<>();
        for (String v : t.order()) {
            if (!(t.layer(v) instanceof BatchNormalization)
                    || ((LayerVertex) conf.getVertices().get(v)).getPreProcessor() != null
                    || t.inputsOf(v).size() != 1) {
                continue;
            }
            String producer = t.inputsOf(v).get(0);
            Layer p = t.layer(producer);
            boolean conv = p != null
                    && p.getClass() == ConvolutionLayer.class
                    && ((ConvolutionLayer) p).getCnn2dDataFormat() == CNN2DFormat.NCHW;
            boolean plain = conv || (p != null && p.getClass() == DenseLayer.class);
            if (plain
                    && ((org.deeplearning4j.nn.conf.layers.BaseLayer) p).getActivationFn() instanceof ActivationIdentity
                    && t.consumersOf(producer).size() == 1
                    && !conf.getNetworkOutputs().contains(producer)) {
                out.put(v, producer);
            }
        }
        return out;
    }

    /**
     * A new network without the foldable batch norm vertices, computing the same outputs in
     * inference; {@code net} is unchanged. Returns a copy when there is nothing to fold.
     */
    public static ComputationGraph fold(ComputationGraph net) {
        Map<String, String> folds = foldable(net);
        if (folds.isEmpty()) {
            return net.clone();
        }
        ComputationGraphConfiguration conf = net.getConfiguration().clone();
        for (Map.Entry<String, String> f : folds.entrySet()) {
            conf.getVertices().remove(f.getKey());
            conf.getVertexInputs().remove(f.getKey());
            Layer producer = ((LayerVertex) conf.getVertices().get(f.getValue()))
                    .getLayerConf()
                    .getLayer();
            if (producer instanceof ConvolutionLayer c) {
                c.setHasBias(true);
            } else if (producer instanceof DenseLayer d) {
                d.setHasBias(true);
            }
        }
        for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
            e.setValue(renamed(e.getValue(), folds));
        }
        conf.setNetworkOutputs(renamed(conf.getNetworkOutputs(), folds));
        conf.setTopologicalOrder(null);
        conf.setTopologicalOrderStr(null);
        ComputationGraph out = new ComputationGraph(conf);
        out.init();
        for (String name : Layers.names(out)) {
            for (Map.Entry<String, INDArray> p : out.getLayer(name).paramTable().entrySet()) {
                INDArray from = net.getLayer(name).paramTable().get(p.getKey());
                if (from != null) {
                    p.getValue().assign(from);
                }
            }
        }
        for (Map.Entry<String, String> f : folds.entrySet()) {
            foldInto(net, f.getKey(), f.getValue(), out.getLayer(f.getValue()));
        }
        return out;
    }

    private static List<String> renamed(List<String> names, Map<String, String> folds) {
        List<String> out = new ArrayList<>(names.size());
        for (String n : names) {
            out.add(folds.getOrDefault(n, n));
        }
        return out;
    }

    /** Writes the folded weights and bias of {@code bnName}'s producer into {@code target}. */
    private static void foldInto(
            ComputationGraph net, String bnName, String producer, org.deeplearning4j.nn.api.Layer target) {
        org.deeplearning4j.nn.api.Layer bnLayer = net.getLayer(bnName);
        BatchNormalization bn = (BatchNormalization) bnLayer.conf().getLayer();
        Map<String, INDArray> p = bnLayer.paramTable();
        INDArray mean = p.get("mean").castTo(DataType.DOUBLE).reshape(-1);
        long channels = mean.length();
        INDArray std = p.containsKey("log10stdev")
                ? Transforms.pow(
                        Nd4j.valueArrayOf(new long[] {channels}, 10.0, DataType.DOUBLE),
                        p.get("log10stdev").castTo(DataType.DOUBLE).reshape(-1))
                : Transforms.sqrt(
                        p.get("var").castTo(DataType.DOUBLE).reshape(-1).add(bn.getEps()));
        INDArray gamma = p.containsKey("gamma")
                ? p.get("gamma").castTo(DataType.DOUBLE).reshape(-1)
                : Nd4j.valueArrayOf(new long[] {channels}, bn.getGamma(), DataType.DOUBLE);
        INDArray beta = p.containsKey("beta")
                ? p.get("beta").castTo(DataType.DOUBLE).reshape(-1)
                : Nd4j.valueArrayOf(new long[] {channels}, bn.getBeta(), DataType.DOUBLE);
        INDArray scale = gamma.div(std);

        INDArray w = target.getParam("W");
        INDArray wd = w.castTo(DataType.DOUBLE);
        if (w.rank() == 4) {
            // conv W is [out, in, kH, kW]: scale along the first axis
            wd.muli(scale.reshape(channels, 1, 1, 1));
        } else {
            // dense W is [in, out]: scale each column
            wd.muliRowVector(scale.reshape(1, channels));
        }
        w.assign(wd.castTo(w.dataType()));
        INDArray oldBias = net.getLayer(producer).paramTable().get("b");
        INDArray z0 = oldBias == null
                ? Nd4j.zeros(DataType.DOUBLE, channels)
                : oldBias.castTo(DataType.DOUBLE).reshape(-1);
        INDArray b = target.getParam("b");
        b.assign(z0.sub(mean).muli(scale).addi(beta).reshape(b.shape()).castTo(b.dataType()));
    }
}
