package dev.keiryo.engine.compress.prune.connection;

import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The masks a {@link ConnectionPruneSpec} gives for one network, and the sparsity they reach,
 * computed without touching the network. {@code threshold} is the magnitude cut-off (weights below
 * it are pruned): the spec's threshold, or for a global sparsity target the smallest kept |w|; it is
 * NaN for per-layer targets, where every layer has its own. Sparsities count the included
 * parameters only, and already-pruned weights stay pruned even when that overshoots the target.
 */
public record ConnectionPlan(ConnectionPruneSpec spec, List<LayerMask> masks, double threshold) {

    public ConnectionPlan {
        masks = List.copyOf(masks);
    }

    /** Included parameters. */
    public long size() {
        return masks.stream().mapToLong(LayerMask::size).sum();
    }

    public long pruned() {
        return masks.stream().mapToLong(LayerMask::pruned).sum();
    }

    /** Sparsity over all included parameters. */
    public double sparsity() {
        long n = size();
        return n == 0 ? 0 : (double) pruned() / n;
    }

    /** Sparsity of each included layer (its weights, and biases if included), in layer order. */
    public Map<String, Double> layerSparsity() {
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (LayerMask m : masks) {
            long[] c = counts.computeIfAbsent(m.layerName(), k -> new long[2]);
            c[0] += m.pruned();
            c[1] += m.size();
        }
        Map<String, Double> out = new LinkedHashMap<>();
        counts.forEach((k, c) -> out.put(k, c[1] == 0 ? 0 : (double) c[0] / c[1]));
        return out;
    }
}
