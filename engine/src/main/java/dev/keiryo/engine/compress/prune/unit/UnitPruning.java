package dev.keiryo.engine.compress.prune.unit;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.UnitCriterion;
import dev.keiryo.engine.model.ChannelGroups;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Structured pruning that removes whole units (dense neurons, convolution filters) and returns a
 * genuinely smaller network, rather than zeros in a network of the same size.
 *
 * <p>It works on the coupled channel groups of the graph ({@link UnitGroups}): layers whose outputs
 * meet in a residual sum lose the same channels, together with their batch norms and the input
 * channels of every layer that reads them; a chain is a graph with one path, where each group is one
 * layer. Typical use: {@link #plan} (or {@link #rank} then {@link #planRemoving} to choose units
 * yourself), show the plan, {@link #shrink}, then fine-tune. The shrunk network has a fresh updater
 * and its iteration and epoch counters restart at 0: Adam's moments belong to the old shapes, so
 * fine-tune as a new training run.
 *
 * <p>Supported paths from a pruned layer to the layers that read it: dense -> dense/output,
 * conv -> conv, conv -> flatten -> dense, conv -> global pooling -> dense, with any of max/avg
 * pooling, batch norm, dropout, activation layers and residual sums in between, in Same or
 * Truncate convolution mode.
 */
public final class UnitPruning {
    /** Batches read from a data iterator by the activation criteria unless told otherwise. */
    public static final int DEFAULT_SCORING_BATCHES = 8;

    private UnitPruning() {}

    /** Scores every unit of layer {@code layerIndex}; {@code dataOrNull} is needed by the activation criteria only. */
    public static UnitScores score(
            ComputationGraph net, int layerIndex, UnitCriterion criterion, DataSetIterator dataOrNull) {
        return UnitScoring.score(net, layerIndex, criterion, dataOrNull, DEFAULT_SCORING_BATCHES);
    }

    public static UnitScores score(
            ComputationGraph net, int layerIndex, UnitCriterion criterion, DataSetIterator dataOrNull, int maxBatches) {
        return UnitScoring.score(net, layerIndex, criterion, dataOrNull, maxBatches);
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

    /**
     * The names of the layers a plan can shrink, in network order: each convolution or hidden dense
     * layer whose channel group can lose channels together with the inputs of the layers reading them.
     */
    public static List<String> prunableLayers(ComputationGraph net) {
        return new UnitGroups(net.getConfiguration()).prunableNames();
    }

    /**
     * The prunable channel groups, each as its producers (the first one names the group), in network
     * order: for a chain one layer each, for a ResNet each residual stream is one group.
     */
    public static List<List<String>> prunableGroups(ComputationGraph net) {
        return new UnitGroups(net.getConfiguration())
                .prunable().stream().map(ChannelGroups.Group::producers).toList();
    }

    /**
     * Chooses the least important units of each group in the spec. Every group is scored on the
     * original network (not one after another), so the result does not depend on layer order.
     */
    public static UnitPlan plan(ComputationGraph net, UnitPruneSpec spec, DataSetIterator dataOrNull) {
        return plan(net, spec, dataOrNull, DEFAULT_SCORING_BATCHES);
    }

    public static UnitPlan plan(ComputationGraph net, UnitPruneSpec spec, DataSetIterator dataOrNull, int maxBatches) {
        UnitGroups groups = new UnitGroups(net.getConfiguration());
        List<ChannelGroups.Group> which = spec.resolve(groups).keySet().stream()
                .map(i -> groups.groupOf(groups.layerNames().get(i)))
                .toList();
        return UnitRanking.of(net, groups, which, spec.criterion(), dataOrNull, maxBatches)
                .plan(spec);
    }

    /**
     * A plan that removes exactly the given units (layer name -> unit indices), e.g. the first k
     * of {@link #rank}; the same checks as {@link UnitPruneSpec#resolve} apply. Naming a layer of a
     * coupled group removes those channels from the whole group.
     */
    public static UnitPlan planRemoving(ComputationGraph net, Map<String, int[]> removedUnits) {
        UnitGroups groups = new UnitGroups(net.getConfiguration());
        Map<String, int[]> kept = new TreeMap<>(Comparator.comparingInt(groups::indexOf));
        for (Map.Entry<String, int[]> e : removedUnits.entrySet()) {
            ChannelGroups.Group g = groups.requirePrunable(e.getKey());
            int units = groups.units(g);
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
                throw new KeiryoException("removing all " + units + " units of layer '" + e.getKey() + "'"
                        + (g.producers().size() > 1 ? " and of the layers it meets in a residual sum" : "")
                        + " would leave none; keep at least one unit.");
            }
            kept.put(UnitGroups.key(g), keep);
        }
        return build(net, groups, kept, null);
    }

    /**
     * A new, smaller network with the plan's units removed and every kept weight copied; the
     * input network is not changed. Layer names, activations, updater settings, regularization
     * and constraints stay as they were; updater state, counters and listeners do not carry over.
     */
    public static ComputationGraph shrink(ComputationGraph net, UnitPlan plan) {
        UnitGroups groups = new UnitGroups(net.getConfiguration());
        Map<String, int[]> kept = new LinkedHashMap<>();
        for (LayerCut c : plan.cuts()) {
            check(groups, c);
            kept.put(c.layerName(), c.kept());
        }
        ComputationGraph small = GroupShrink.shrink(net, kept);
        if (small.numParams() != plan.parametersAfter()) {
            throw new IllegalStateException("shrunk network has " + small.numParams()
                    + " parameters, the plan expected " + plan.parametersAfter());
        }
        return small;
    }

    /** One cut per producer of each group in {@code kept} (keyed by any producer), in layer order. */
    static UnitPlan build(ComputationGraph net, UnitGroups groups, Map<String, int[]> kept, UnitCriterion criterion) {
        GroupShrink.Resize resize = GroupShrink.Resize.of(net.getConfiguration(), kept);
        long before = 0;
        long after = 0;
        Map<String, long[]> perLayer = new LinkedHashMap<>();
        for (String name : groups.layerNames()) {
            long b = net.getLayer(name).numParams();
            long a = resize.parameters(net, name);
            perLayer.put(name, new long[] {b, a});
            before += b;
            after += a;
        }
        List<LayerCut> cuts = new ArrayList<>();
        for (Map.Entry<String, int[]> e : kept.entrySet()) {
            ChannelGroups.Group g = groups.groupOf(e.getKey());
            for (String p : g.producers()) {
                cuts.add(new LayerCut(
                        groups.indexOf(p), p, groups.units(g), e.getValue(), perLayer.get(p)[0], perLayer.get(p)[1]));
            }
        }
        cuts.sort(Comparator.comparingInt(LayerCut::layerIndex));
        return new UnitPlan(cuts, criterion, before, after);
    }

    private static boolean ascendingWithin(int[] kept, int units) {
        for (int k = 0; k < kept.length; k++) {
            if (kept[k] < 0 || kept[k] >= units || (k > 0 && kept[k] <= kept[k - 1])) {
                return false;
            }
        }
        return kept.length > 0;
    }

    private static void check(UnitGroups groups, LayerCut c) {
        int i = c.layerIndex();
        List<String> names = groups.layerNames();
        boolean fits = i >= 0
                && i < names.size()
                && names.get(i).equals(c.layerName())
                && groups.whyNot(c.layerName()) == null
                && groups.units(groups.groupOf(c.layerName())) == c.unitsBefore()
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
