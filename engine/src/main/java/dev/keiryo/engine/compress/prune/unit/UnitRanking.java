package dev.keiryo.engine.compress.prune.unit;

import dev.keiryo.engine.api.compress.UnitCriterion;
import dev.keiryo.engine.model.ChannelGroups;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The channels of each prunable group from least to most important, computed once: any fraction
 * then removes a prefix, so a slider or a sensitivity sweep plans many fractions from one ranking.
 *
 * <p>A group's channel importance is the mean over its producers of the criterion (as
 * Torch-Pruning sums it over a dependency group; the mean ranks the same and keeps the criterion's
 * scale): a channel of a residual stream is only unimportant when it is small in every layer that
 * writes to the stream.
 */
public final class UnitRanking {
    private final ComputationGraph net;
    private final UnitGroups groups;
    private final UnitCriterion criterion;
    private final Map<String, int[]> order = new LinkedHashMap<>();

    private UnitRanking(ComputationGraph net, UnitGroups groups, UnitCriterion criterion) {
        this.net = net;
        this.groups = groups;
        this.criterion = criterion;
    }

    /** Ranks every prunable group of {@code net}; {@code dataOrNull} is needed by the activation criteria only. */
    public static UnitRanking of(ComputationGraph net, UnitCriterion c, DataSetIterator dataOrNull, int maxBatches) {
        UnitGroups groups = new UnitGroups(net.getConfiguration());
        return of(net, groups, groups.prunable(), c, dataOrNull, maxBatches);
    }

    static UnitRanking of(
            ComputationGraph net,
            UnitGroups groups,
            List<ChannelGroups.Group> which,
            UnitCriterion c,
            DataSetIterator dataOrNull,
            int maxBatches) {
        UnitRanking r = new UnitRanking(net, groups, c);
        List<String> layers =
                which.stream().flatMap(g -> g.producers().stream()).toList();
        Map<String, UnitScores> scores =
                layers.isEmpty() ? Map.of() : UnitScoring.score(net, groups, layers, c, dataOrNull, maxBatches);
        for (ChannelGroups.Group g : which) {
            double[] mean = new double[groups.units(g)];
            boolean higher = true;
            for (String p : g.producers()) {
                UnitScores s = scores.get(p);
                double[] v = s.values();
                for (int u = 0; u < mean.length; u++) {
                    mean[u] += v[u] / g.producers().size();
                }
                higher = s.higherIsMoreImportant();
            }
            boolean higherIsMore = higher;
            Comparator<Integer> byImportance = Comparator.comparingDouble(i -> higherIsMore ? mean[i] : -mean[i]);
            r.order.put(
                    UnitGroups.key(g),
                    IntStream.range(0, mean.length)
                            .boxed()
                            .sorted(byImportance.thenComparingInt(i -> i))
                            .mapToInt(Integer::intValue)
                            .toArray());
        }
        return r;
    }

    /** The plan for {@code spec}, whose criterion must be this ranking's. */
    public UnitPlan plan(UnitPruneSpec spec) {
        if (spec.criterion() != criterion) {
            throw new IllegalArgumentException("ranking by " + criterion + " asked for a plan by " + spec.criterion());
        }
        Map<String, int[]> kept = new TreeMap<>(Comparator.comparingInt(groups::indexOf));
        for (Map.Entry<Integer, Double> e : spec.resolve(groups).entrySet()) {
            String key = groups.layerNames().get(e.getKey());
            int[] o = order.get(key);
            int units = o.length;
            int k = UnitPruneSpec.removed(e.getValue(), units);
            int[] keep = Arrays.copyOfRange(o, k, units);
            Arrays.sort(keep);
            kept.put(key, keep);
        }
        return UnitPruning.build(net, groups, kept, criterion);
    }
}
