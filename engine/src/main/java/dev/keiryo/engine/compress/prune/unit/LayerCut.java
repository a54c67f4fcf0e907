package dev.keiryo.engine.compress.prune.unit;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The units one layer keeps, and that layer's own parameter count before and after. Its input
 * side shrinks too when the layer before it is cut, so {@code parametersAfter} already reflects
 * both; the parameters this cut removes from the next layer are counted in the {@link UnitPlan}
 * totals.
 *
 * @param kept the kept unit indices, ascending
 */
public record LayerCut(
        int layerIndex, String layerName, int unitsBefore, int[] kept, long parametersBefore, long parametersAfter) {

    public LayerCut {
        kept = kept.clone();
    }

    @Override
    public int[] kept() {
        return kept.clone();
    }

    public int unitsAfter() {
        return kept.length;
    }

    /** The removed unit indices, ascending. */
    public int[] removed() {
        boolean[] keep = new boolean[unitsBefore];
        for (int k : kept) {
            keep[k] = true;
        }
        return IntStream.range(0, unitsBefore).filter(u -> !keep[u]).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerCut c
                && layerIndex == c.layerIndex
                && layerName.equals(c.layerName)
                && unitsBefore == c.unitsBefore
                && Arrays.equals(kept, c.kept)
                && parametersBefore == c.parametersBefore
                && parametersAfter == c.parametersAfter;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * layerIndex + unitsBefore) + Arrays.hashCode(kept);
    }

    @Override
    public String toString() {
        return "LayerCut[" + layerName + " #" + layerIndex + ": " + unitsBefore + " -> " + kept.length + " units, "
                + parametersBefore + " -> " + parametersAfter + " parameters]";
    }
}
