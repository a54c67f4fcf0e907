package dev.keiryo.engine.compress.prune.unit;

import dev.keiryo.engine.api.compress.UnitCriterion;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * One number per unit of a layer, as the criterion measures it (a norm, a mean activation or a
 * fraction of zeros), and which direction means "important": for APoZ a high value means the unit
 * is mostly silent, for the others a high value means it matters.
 *
 * @param measure what exactly was measured, in words, e.g. "APoZ after bn1 (relu)"; this matters
 *     because activation criteria may look past an identity activation (see {@link UnitCriterion})
 */
public record UnitScores(
        int layerIndex,
        String layerName,
        UnitCriterion criterion,
        double[] values,
        boolean higherIsMoreImportant,
        String measure) {

    public UnitScores {
        values = values.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    public int size() {
        return values.length;
    }

    /**
     * Unit indices from least to most important; ties keep index order, so equal scores (all-zero
     * filters, say) always give the same ranking.
     */
    public int[] leastImportantFirst() {
        Comparator<Integer> byImportance =
                Comparator.comparingDouble(i -> higherIsMoreImportant ? values[i] : -values[i]);
        return IntStream.range(0, values.length)
                .boxed()
                .sorted(byImportance.thenComparingInt(i -> i))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnitScores s
                && layerIndex == s.layerIndex
                && layerName.equals(s.layerName)
                && criterion == s.criterion
                && Arrays.equals(values, s.values)
                && higherIsMoreImportant == s.higherIsMoreImportant
                && measure.equals(s.measure);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * layerIndex + criterion.hashCode()) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "UnitScores[" + layerName + " #" + layerIndex + ", " + measure + ", " + values.length + " units]";
    }
}
