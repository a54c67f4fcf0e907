package dev.keiryo.engine.compress.prune.unit;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.UnitCriterion;
import dev.keiryo.engine.model.Chains;
import dev.keiryo.engine.model.GraphTopology;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Structured pruning that removes whole units (dense neurons, convolution filters) and returns a
 * genuinely smaller network, rather than zeros in a network of the same size.
 *
 * <p>Typical use: {@link #plan} (or {@link #rank} then {@link #planRemoving} to choose k units per
 * layer yourself), show the plan, {@link #shrink}, then fine-tune. The shrunk network has a fresh
 * updater and its iteration and epoch counters restart at 0: Adam's moments belong to the old
 * shapes, so fine-tune as a new training run.
 *
 * <p>Supported paths from a pruned layer to the next layer with weights: dense -> dense/output,
 * conv -> conv, conv -> flatten -> dense, with any of max/avg pooling, batch norm, dropout,
 * activation and global pooling layers in between, in Same or Truncate convolution mode.
 */
public final class UnitPruning {
    /** Batches read from a data iterator by the activation criteria unless told otherwise. */
    public static final int DEFAULT_SCORING_BATCHES = 8;

    private UnitPruning() {}

    /** Scores every unit of layer {@code layerIndex}; {@code dataOrNull} is needed by the activation criteria only. */
    public static UnitScores score(
            ComputationGraph net, int layerIndex, UnitCriterion criterion, DataSetIterator dataOrNull) {
        return UnitScoring.score(chain(net), layerIndex, criterion, dataOrNull, DEFAULT_SCORING_BATCHES);
    }

    public static UnitScores score(
            ComputationGraph net, int layerIndex, UnitCriterion criterion, DataSetIterator dataOrNull, int maxBatches) {
        return UnitScoring.score(chain(net), layerIndex, criterion, dataOrNull, maxBatches);
    }

    /** Unit indices of layer {@code layerIndex} from least to most important: prune a prefix of it. */
    public static int[] rank(
            ComputationGraph net, int layerIndex, UnitCriterion criterion, DataSetIterator dataOrNull) {
        return score(net, layerIndex, criterion, dataOrNull).leastImportantFirst();
    }

    public static int[] rank(
            ComputationGraph net, int layerIndex, UnitCriterion criterion, DataSetIterator dataOrNull, int maxBatches) {
        return score(net, layerIndex, criterion, dataOrNull, maxBatches).leastImportantFirst();
    }

    private static int[] rank(
            MultiLayerNetwork net,
            int layerIndex,
            UnitCriterion criterion,
            DataSetIterator dataOrNull,
            int maxBatches) {
        return UnitScoring.score(net, layerIndex, criterion, dataOrNull, maxBatches)
                .leastImportantFirst();
    }

    /** The network as a chain of layers, which unit pruning walks; graphs with branches are refused. */
    private static MultiLayerNetwork chain(ComputationGraph net) {
        return Chains.toChain(net, "unit pruning");
    }

    /**
     * The names of the layers a plan can shrink, in network order: each hidden dense or convolution
     * layer whose units can be cut together with the inputs of the next layer with weights.
     */
    public static List<String> prunableLayers(ComputationGraph net) {
        if (!new GraphTopology(net.getConfiguration()).isChain()) {
            return List.of();
        }
        return UnitTopology.prunableNames(Chains.toChain(net.getConfiguration(), "unit pruning"));
    }

    /**
     * Chooses the least important units of each layer in the spec. Every layer is scored on the
     * original network (not one after another), so the result does not depend on layer order.
     */
    public static UnitPlan plan(ComputationGraph net, UnitPruneSpec spec, DataSetIterator dataOrNull) {
        return plan(net, spec, dataOrNull, DEFAULT_SCORING_BATCHES);
    }

    public static UnitPlan plan(
            ComputationGraph graph, UnitPruneSpec spec, DataSetIterator dataOrNull, int maxBatches) {
        MultiLayerNetwork net = chain(graph);
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        Map<Integer, int[]> kept = new TreeMap<>();
        for (Map.Entry<Integer, Double> e : spec.resolve(net).entrySet()) {
            int units = UnitPruneSpec.units(conf, e.getKey());
            int k = UnitPruneSpec.removed(e.getValue(), units);
            int[] order = rank(net, e.getKey(), spec.criterion(), dataOrNull, maxBatches);
            kept.put(e.getKey(), sorted(Arrays.copyOfRange(order, k, units)));
        }
        return build(net, kept, spec.criterion());
    }

    /**
     * A plan that removes exactly the given units (layer name -> unit indices), e.g. the first k
     * of {@link #rank}; the same checks as {@link UnitPruneSpec#resolve} apply.
     */
    public static UnitPlan planRemoving(ComputationGraph graph, Map<String, int[]> removedUnits) {
        MultiLayerNetwork net = chain(graph);
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        Map<Integer, int[]> kept = new TreeMap<>();
        for (Map.Entry<String, int[]> e : removedUnits.entrySet()) {
            int i = UnitTopology.requirePrunable(conf, e.getKey());
            int units = UnitPruneSpec.units(conf, i);
            boolean[] remove = new boolean[units];
            for (int u : e.getValue()) {
                if (u < 0 || u >= units) {
                    throw new KeiryoException("unit " + u + " of layer '" + e.getKey()
                            + "' does not exist (it has units 0.." + (units - 1) + "); remove units in that range.");
                }
                remove[u] = true;
            }
            int[] keep = IntStream.range(0, units).filter(u -> !remove[u]).toArray();
            if (keep.length == 0) {
                throw new KeiryoException("removing all " + units + " units of layer '" + e.getKey()
                        + "' would leave none;" + " keep at least one unit.");
            }
            kept.put(i, keep);
        }
        return build(net, kept, null);
    }

    /**
     * A new, smaller network with the plan's units removed and every kept weight copied; the
     * input network is not changed. Layer names, activations, updater settings, regularization
     * and constraints stay as they were; updater state, counters and listeners do not carry over.
     */
    public static ComputationGraph shrink(ComputationGraph net, UnitPlan plan) {
        return Chains.toGraph(Shrinker.shrink(chain(net), plan));
    }

    static UnitPlan build(MultiLayerNetwork net, Map<Integer, int[]> kept, UnitCriterion criterion) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        LayerResize[] resize = LayerResize.of(conf, kept);
        long before = 0;
        long after = 0;
        long[] layerBefore = new long[resize.length];
        long[] layerAfter = new long[resize.length];
        for (int j = 0; j < resize.length; j++) {
            Layer l = UnitTopology.layer(conf, j);
            for (Map.Entry<String, INDArray> p : net.getLayer(j).paramTable().entrySet()) {
                long[] shape = p.getValue().shape();
                layerBefore[j] += p.getValue().length();
                layerAfter[j] +=
                        Arrays.stream(resize[j].newShape(l, p.getKey(), shape)).reduce(1, (a, b) -> a * b);
            }
            before += layerBefore[j];
            after += layerAfter[j];
        }
        List<LayerCut> cuts = new ArrayList<>();
        for (Map.Entry<Integer, int[]> e : kept.entrySet()) {
            int i = e.getKey();
            cuts.add(new LayerCut(
                    i,
                    UnitTopology.name(conf, i),
                    UnitPruneSpec.units(conf, i),
                    e.getValue(),
                    layerBefore[i],
                    layerAfter[i]));
        }
        return new UnitPlan(cuts, criterion, before, after);
    }

    private static int[] sorted(int[] a) {
        int[] s = a.clone();
        Arrays.sort(s);
        return s;
    }
}
