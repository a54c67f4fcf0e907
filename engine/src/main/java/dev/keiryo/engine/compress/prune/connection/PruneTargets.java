package dev.keiryo.engine.compress.prune.connection;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Resolves a spec's layer names and indices against a network's layers into the parameters to prune. */
final class PruneTargets {
    static final String WEIGHTS = "W";
    static final String BIAS = "b";

    /** One included layer: its index, display name and parameter keys. */
    record Target(int layer, String name, List<String> params) {}

    /** What resolution needs to know about a network's layers, so it can be redone without the network. */
    record Layers(String[] names, String[] types, boolean[] weights, boolean[] biases) {
        static Layers of(ComputationGraph net) {
            int n = dev.keiryo.engine.model.Layers.count(net);
            String[] names = new String[n];
            String[] types = new String[n];
            boolean[] w = new boolean[n];
            boolean[] b = new boolean[n];
            for (int i = 0; i < n; i++) {
                names[i] = name(net, i);
                types[i] = dev.keiryo.engine.model.Layers.at(net, i)
                        .conf()
                        .getLayer()
                        .getClass()
                        .getSimpleName();
                // Only layers with a weight matrix: biases alone (or batch norm's scale) are never pruned by default.
                w[i] = dev.keiryo.engine.model.Layers.at(net, i).paramTable().containsKey(WEIGHTS);
                b[i] = dev.keiryo.engine.model.Layers.at(net, i).paramTable().containsKey(BIAS);
            }
            return new Layers(names, types, w, b);
        }
    }

    private PruneTargets() {}

    static List<Target> resolve(Layers layers, ConnectionPruneSpec spec) {
        String[] names = layers.names();
        TreeSet<Integer> included = new TreeSet<>();
        if (spec.layers().isEmpty()) {
            for (int i = 0; i < names.length; i++) {
                if (layers.weights()[i]) {
                    included.add(i);
                }
            }
        } else {
            for (String l : spec.layers()) {
                int i = index(l, names, "layers");
                if (!layers.weights()[i]) {
                    throw new KeiryoException("layer '" + names[i] + "' (" + layers.types()[i] + ") has no weights to"
                            + " prune; choose among " + prunable(layers) + ".");
                }
                included.add(i);
            }
        }
        for (String x : spec.exclude()) {
            int i = index(x, names, "exclude");
            if (!spec.layers().isEmpty() && included.contains(i)) {
                throw new KeiryoException("layer '" + names[i] + "' is both in connection pruning layers and in exclude"
                        + " (under another name or index); remove it from one of them.");
            }
            included.remove(i);
        }
        if (included.isEmpty()) {
            throw new KeiryoException("connection pruning has no layers left to prune; include at least one of "
                    + prunable(layers) + ".");
        }
        layerSparsity(layers, spec, included);
        List<Target> out = new ArrayList<>();
        for (int i : included) {
            List<String> params =
                    spec.includeBiases() && layers.biases()[i] ? List.of(WEIGHTS, BIAS) : List.of(WEIGHTS);
            out.add(new Target(i, names[i], params));
        }
        return out;
    }

    /** The spec's per-layer sparsities by layer index; every entry must name an included layer. */
    static Map<Integer, Double> layerSparsity(Layers layers, ConnectionPruneSpec spec, Set<Integer> included) {
        Map<Integer, Double> own = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : spec.layerSparsity().entrySet()) {
            int i = index(e.getKey(), layers.names(), "layerSparsity");
            if (!included.contains(i)) {
                throw new KeiryoException("layer '" + layers.names()[i] + "' has its own sparsity but is not pruned"
                        + " (excluded, or not in layers); remove it from the per-layer map or include it.");
            }
            own.put(i, e.getValue());
        }
        return own;
    }

    static String name(ComputationGraph net, int i) {
        return dev.keiryo.engine.model.Layers.names(net).get(i);
    }

    // A name wins over an index, so a layer literally named "3" stays reachable.
    private static int index(String token, String[] names, String field) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(token)) {
                return i;
            }
        }
        try {
            int i = Integer.parseInt(token);
            if (i >= 0 && i < names.length) {
                return i;
            }
        } catch (NumberFormatException notAnIndex) {
            // reported below, with the known names
        }
        throw new KeiryoException("unknown layer '" + token + "' in connection pruning " + field + "; known layers are "
                + String.join(", ", names) + " (or indices 0-" + (names.length - 1) + ").");
    }

    private static String prunable(Layers layers) {
        List<String> p = new ArrayList<>();
        for (int i = 0; i < layers.names().length; i++) {
            if (layers.weights()[i]) {
                p.add(layers.names()[i]);
            }
        }
        return p.isEmpty() ? "(none: this network has no weight matrices)" : String.join(", ", p);
    }
}
