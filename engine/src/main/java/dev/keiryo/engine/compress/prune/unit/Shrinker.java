package dev.keiryo.engine.compress.prune.unit;

import dev.keiryo.engine.api.KeiryoException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the smaller network: a cloned configuration with new nIn/nOut and flatten
 * preprocessors, initialised, then every parameter overwritten with the kept slices of the old one.
 *
 * <p>Not {@code TransferLearning.nOutReplace}: it re-initialises the edited and the next layer
 * (kept weights are lost) and does not fix a dense layer behind a pooling layer.
 */
final class Shrinker {
    private Shrinker() {}

    static MultiLayerNetwork shrink(MultiLayerNetwork net, UnitPlan plan) {
        MultiLayerConfiguration old = net.getLayerWiseConfigurations();
        Map<Integer, int[]> kept = new TreeMap<>();
        for (LayerCut c : plan.cuts()) {
            check(old, c);
            kept.put(c.layerIndex(), c.kept());
        }
        LayerResize[] resize = LayerResize.of(old, kept);

        MultiLayerConfiguration conf = old.clone();
        Map<Integer, InputPreProcessor> pre = new HashMap<>(conf.getInputPreProcessors());
        for (int j = 0; j < resize.length; j++) {
            resize[j].applyTo(UnitTopology.layer(conf, j));
            if (resize[j].preProcessor() != null) {
                pre.put(j, resize[j].preProcessor());
            }
        }
        conf.setInputPreProcessors(pre);
        // A fresh updater must also restart the counters: Adam's bias correction and learning rate
        // schedules read the iteration count, and with a stale large count the first steps of
        // fine-tuning would skip the bias correction (about 3x larger steps for Adam's defaults).
        conf.setIterationCount(0);
        conf.setEpochCount(0);
        MultiLayerNetwork small = new MultiLayerNetwork(conf);
        // Every parameter is overwritten below, so the random initialisation init() would do is skipped:
        // the pruning preview shrinks a network for every slider position.
        small.init(Nd4j.create(net.params().dataType(), 1, plan.parametersAfter()), false);

        for (int j = 0; j < resize.length; j++) {
            Layer l = UnitTopology.layer(old, j);
            for (Map.Entry<String, INDArray> p : small.getLayer(j).paramTable().entrySet()) {
                INDArray from = net.getLayer(j).getParam(p.getKey());
                INDArray slice = Slices.take(from, resize[j].keepsPerAxis(l, p.getKey(), from.shape()));
                if (!Arrays.equals(slice.shape(), p.getValue().shape())) {
                    throw new IllegalStateException("layer " + j + " parameter " + p.getKey() + ": kept slice "
                            + Arrays.toString(slice.shape()) + " does not fit "
                            + Arrays.toString(p.getValue().shape()));
                }
                p.getValue().assign(slice);
            }
        }
        if (small.numParams() != plan.parametersAfter()) {
            throw new IllegalStateException("shrunk network has " + small.numParams()
                    + " parameters, the plan expected " + plan.parametersAfter());
        }
        return small;
    }

    private static boolean ascendingWithin(int[] kept, int units) {
        for (int k = 0; k < kept.length; k++) {
            if (kept[k] < 0 || kept[k] >= units || (k > 0 && kept[k] <= kept[k - 1])) {
                return false;
            }
        }
        return kept.length > 0;
    }

    private static void check(MultiLayerConfiguration conf, LayerCut c) {
        int i = c.layerIndex();
        boolean fits = i >= 0
                && i < UnitTopology.size(conf)
                && UnitTopology.name(conf, i).equals(c.layerName())
                && UnitTopology.whyNotPrunable(conf, i) == null
                && UnitPruneSpec.units(conf, i) == c.unitsBefore()
                && ascendingWithin(c.kept(), c.unitsBefore());
        if (!fits) {
            throw new KeiryoException(
                    "the unit pruning plan expects layer " + i + " to be '" + c.layerName() + "' with "
                            + c.unitsBefore()
                            + " units keeping ascending indices among them, which does not match this network;"
                            + " make the plan from this network with UnitPruning.plan or planRemoving.");
        }
    }
}
