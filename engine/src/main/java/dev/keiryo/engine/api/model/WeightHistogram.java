package dev.keiryo.engine.api.model;

/**
 * The distribution of one layer's weights (all of them, or all layers'), as the workbench draws it
 * under the pruning threshold: counts of values in equal-width bins between min and max, with the
 * exact zeros counted apart so that a pruned layer's spike at zero does not hide the rest.
 *
 * @param layer the layer's name, or "all"
 * @param min the smallest weight
 * @param max the largest weight
 * @param counts non-zero weights per bin; bin i covers [min + i*w, min + (i+1)*w), w = (max-min)/bins
 * @param zeros weights that are exactly zero
 */
public record WeightHistogram(String layer, double min, double max, long[] counts, long zeros) {

    public double binWidth() {
        return (max - min) / counts.length;
    }

    public long total() {
        long t = zeros;
        for (long c : counts) {
            t += c;
        }
        return t;
    }
}
