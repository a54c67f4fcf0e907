package dev.keiryo.engine.compress.prune;

import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import dev.keiryo.engine.api.compress.UnitCriterion;
import dev.keiryo.engine.compress.prune.connection.ConnectionPlan;
import dev.keiryo.engine.compress.prune.connection.ConnectionPruning;
import dev.keiryo.engine.compress.prune.unit.UnitPlan;
import dev.keiryo.engine.compress.prune.unit.UnitPruneSpec;
import dev.keiryo.engine.compress.prune.unit.UnitPruning;
import dev.keiryo.engine.compress.prune.unit.UnitRanking;
import dev.keiryo.engine.preview.PreviewSubset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Per-layer sensitivity (Li et al. 2017): prune one layer at a time, at each level, and measure
 * accuracy on a held-out subset without fine-tuning. Dense and convolutional layers alike; the
 * model itself is never changed.
 */
public final class Sensitivity {
    private Sensitivity() {}

    public record Point(double level, double accuracy, long parameters, long nonZeros) {}

    /** Connection pruning of each layer alone to each sparsity level. */
    public static Map<String, List<Point>> connection(
            ComputationGraph net,
            List<String> layers,
            List<Double> levels,
            PreviewSubset subset,
            BooleanSupplier cancelled) {
        Map<String, List<Point>> curves = new LinkedHashMap<>();
        ComputationGraph scratch = net.clone();
        INDArray original = net.params().dup();
        for (String layer : layers.isEmpty() ? PrunableLayers.connection(net) : layers) {
            List<Point> points = new ArrayList<>();
            for (double level : levels) {
                if (cancelled.getAsBoolean()) {
                    return curves;
                }
                ConnectionPlan plan = ConnectionPruning.plan(
                        net, ConnectionPruneSpec.perLayer(level).withLayers(List.of(layer)));
                ConnectionPruning.applyInPlace(scratch, original, plan);
                points.add(new Point(
                        level,
                        subset.accuracy(scratch, () -> false),
                        net.numParams(),
                        net.numParams() - plan.pruned()));
            }
            curves.put(layer, points);
        }
        return curves;
    }

    /**
     * Unit pruning of each channel group alone (by default every group unit pruning can shrink; a
     * chain's groups are its layers, a ResNet's residual stream is one group named by its first
     * layer); the network really shrinks at every point. The units are ranked once.
     */
    public static Map<String, List<Point>> unit(
            ComputationGraph net,
            List<String> layers,
            List<Double> levels,
            UnitCriterion criterion,
            DataSetIterator scoringData,
            PreviewSubset subset,
            BooleanSupplier cancelled) {
        Map<String, List<Point>> curves = new LinkedHashMap<>();
        List<String> names = layers.isEmpty()
                ? UnitPruning.prunableGroups(net).stream().map(g -> g.get(0)).toList()
                : layers;
        UnitRanking ranking = UnitRanking.of(net, criterion, scoringData, UnitPruning.DEFAULT_SCORING_BATCHES);
        for (String layer : names) {
            List<Point> points = new ArrayList<>();
            for (double level : levels) {
                if (cancelled.getAsBoolean()) {
                    return curves;
                }
                UnitPlan plan = ranking.plan(UnitPruneSpec.perLayer(Map.of(layer, level), criterion));
                ComputationGraph small = UnitPruning.shrink(net, plan);
                points.add(new Point(level, subset.accuracy(small, () -> false), small.numParams(), small.numParams()));
            }
            curves.put(layer, points);
        }
        return curves;
    }
}
