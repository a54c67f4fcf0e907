package dev.keiryo.engine.api.compress;

import dev.keiryo.engine.api.KeiryoException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What to prune by magnitude: a sparsity target (fraction of the included weights set to zero) or
 * an absolute threshold (weights with |w| below it), exactly one of the two.
 *
 * <p>{@code layers} and {@code exclude} name layers by name or by index (as a string); an empty
 * {@code layers} means every layer with a weight matrix. {@code layerSparsity} overrides the target
 * for single layers and is only meaningful with {@link PruneScope#PER_LAYER}. Layer names are
 * checked against a network when a plan is made (when connection pruning plans its cut).
 */
public record ConnectionPruneSpec(
        PruneScope scope,
        Double sparsity,
        Double threshold,
        List<String> layers,
        List<String> exclude,
        boolean includeBiases,
        Map<String, Double> layerSparsity) {

    public ConnectionPruneSpec {
        if (scope == null) {
            throw new KeiryoException("connection pruning scope is missing; choose per_layer or global.");
        }
        if ((sparsity == null) == (threshold == null)) {
            throw new KeiryoException("connection pruning needs exactly one target, a sparsity or a threshold (got "
                    + (sparsity == null ? "neither" : "both") + "); set one of them, e.g. sparsity 0.8.");
        }
        if (sparsity != null) {
            checkSparsity(sparsity, "connection pruning sparsity");
        }
        if (threshold != null && !(threshold >= 0 && Double.isFinite(threshold))) {
            throw new KeiryoException("connection pruning threshold must be a finite number >= 0 (was " + threshold
                    + "); weights with |w| below it are pruned, so use e.g. 0.01.");
        }
        layers = clean(layers, "layers");
        exclude = clean(exclude, "exclude");
        for (String l : layers) {
            if (exclude.contains(l)) {
                throw new KeiryoException("layer '" + l + "' is both in connection pruning layers and in exclude;"
                        + " remove it from one of them.");
            }
        }
        Map<String, Double> ls = new LinkedHashMap<>();
        if (layerSparsity != null && !layerSparsity.isEmpty()) {
            if (scope != PruneScope.PER_LAYER || sparsity == null) {
                throw new KeiryoException(
                        "a per-layer sparsity map needs scope per_layer and a sparsity target (scope is "
                                + scope.name().toLowerCase(Locale.ROOT)
                                + (sparsity == null ? ", target is a threshold" : "")
                                + "); switch to per_layer with a default sparsity, or drop the map.");
            }
            for (Map.Entry<String, Double> e : layerSparsity.entrySet()) {
                if (e.getKey() == null || e.getKey().isBlank() || e.getValue() == null) {
                    throw new KeiryoException(
                            "the per-layer sparsity map has an empty layer name or value; give entries"
                                    + " like dense1: 0.9.");
                }
                checkSparsity(e.getValue(), "sparsity of layer '" + e.getKey().strip() + "'");
                ls.put(e.getKey().strip(), e.getValue());
            }
        }
        layerSparsity = Collections.unmodifiableMap(ls);
    }

    /** One magnitude cut-off over all weight matrices, removing {@code sparsity} of them. */
    public static ConnectionPruneSpec global(double sparsity) {
        return new ConnectionPruneSpec(PruneScope.GLOBAL, sparsity, null, List.of(), List.of(), false, Map.of());
    }

    /** Every weight matrix loses {@code sparsity} of its own weights. */
    public static ConnectionPruneSpec perLayer(double sparsity) {
        return new ConnectionPruneSpec(PruneScope.PER_LAYER, sparsity, null, List.of(), List.of(), false, Map.of());
    }

    /** Prunes every weight with |w| below {@code threshold}. */
    public static ConnectionPruneSpec belowThreshold(double threshold) {
        return new ConnectionPruneSpec(PruneScope.GLOBAL, null, threshold, List.of(), List.of(), false, Map.of());
    }

    public boolean bySparsity() {
        return sparsity != null;
    }

    public ConnectionPruneSpec withSparsity(double s) {
        return new ConnectionPruneSpec(scope, s, null, layers, exclude, includeBiases, layerSparsity);
    }

    public ConnectionPruneSpec withLayers(List<String> l) {
        return new ConnectionPruneSpec(scope, sparsity, threshold, l, exclude, includeBiases, layerSparsity);
    }

    public ConnectionPruneSpec withExclude(List<String> x) {
        return new ConnectionPruneSpec(scope, sparsity, threshold, layers, x, includeBiases, layerSparsity);
    }

    public ConnectionPruneSpec withBiases(boolean b) {
        return new ConnectionPruneSpec(scope, sparsity, threshold, layers, exclude, b, layerSparsity);
    }

    public ConnectionPruneSpec withLayerSparsity(Map<String, Double> m) {
        return new ConnectionPruneSpec(scope, sparsity, threshold, layers, exclude, includeBiases, m);
    }

    private static void checkSparsity(double s, String what) {
        if (!(s >= 0 && s < 1)) {
            throw new KeiryoException(what + " must be in [0, 1) (was " + s + "); it is the fraction of weights set to"
                    + " zero, so use e.g. 0.8.");
        }
    }

    private static List<String> clean(List<String> names, String field) {
        List<String> out = new ArrayList<>();
        if (names != null) {
            for (String n : names) {
                if (n == null || n.isBlank()) {
                    throw new KeiryoException("connection pruning " + field
                            + " has an empty layer name; give layer names" + " or indices such as dense1 or 4.");
                }
                if (!out.contains(n.strip())) {
                    out.add(n.strip());
                }
            }
        }
        return List.copyOf(out);
    }
}
