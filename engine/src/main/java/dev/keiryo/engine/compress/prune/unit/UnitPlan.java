package dev.keiryo.engine.compress.prune.unit;

import dev.keiryo.engine.api.compress.UnitCriterion;
import java.util.List;

/**
 * Which units each pruned layer keeps, and the whole network's parameter count before and after;
 * made by {@link UnitPruning#plan} or {@link UnitPruning#planRemoving} without touching the
 * network, carried out by {@link UnitPruning#shrink}.
 *
 * @param cuts one entry per pruned layer, in layer order
 * @param criterion how the units were ranked, or null when the caller chose them
 */
public record UnitPlan(List<LayerCut> cuts, UnitCriterion criterion, long parametersBefore, long parametersAfter) {

    public UnitPlan {
        cuts = List.copyOf(cuts);
    }

    public int unitsRemoved() {
        return cuts.stream().mapToInt(c -> c.unitsBefore() - c.unitsAfter()).sum();
    }

    /** Parameters after / before: 0.25 means the network keeps a quarter of its parameters. */
    public double parameterRatio() {
        return parametersBefore == 0 ? 1 : (double) parametersAfter / parametersBefore;
    }
}
