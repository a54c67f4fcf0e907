package dev.keiryo.engine.compress.prune.connection;

import dev.keiryo.engine.model.Layers;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads, attaches and removes the {@link MaskConstraint}s of a network. Attaching and stripping
 * always install a NEW constraint list: {@code ComputationGraph.clone()} copies layer
 * configurations shallowly, so a clone shares its original's list, and editing that list in place
 * would change both networks.
 */
public final class Masks {
    private Masks() {}

    /** The masks attached to {@code net}, in layer order. */
    public static List<LayerMask> of(ComputationGraph net) {
        List<LayerMask> out = new ArrayList<>();
        for (int i = 0; i < Layers.count(net); i++) {
            for (LayerConstraint c : constraints(net, i)) {
                if (c instanceof MaskConstraint m) {
                    out.add(LayerMask.of(i, PruneTargets.name(net, i), m.param(), m.mask()));
                }
            }
        }
        return out;
    }

    /** Whether any layer of {@code net} carries a mask. */
    public static boolean present(ComputationGraph net) {
        for (int i = 0; i < Layers.count(net); i++) {
            for (LayerConstraint c : constraints(net, i)) {
                if (c instanceof MaskConstraint) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Removes every mask from {@code net} (in place; other constraints stay), so pruned weights may
     * grow back when it trains. Returns {@code net}.
     */
    public static ComputationGraph strip(ComputationGraph net) {
        for (int i = 0; i < Layers.count(net); i++) {
            List<LayerConstraint> kept = new ArrayList<>();
            boolean had = false;
            for (LayerConstraint c : constraints(net, i)) {
                if (c instanceof MaskConstraint) {
                    had = true;
                } else {
                    kept.add(c);
                }
            }
            if (had) {
                layerConf(net, i).setConstraints(kept.isEmpty() ? null : kept);
            }
        }
        return net;
    }

    /** The mask attached to one parameter of one layer, or null. */
    static INDArray existing(ComputationGraph net, int layer, String param) {
        for (LayerConstraint c : constraints(net, layer)) {
            if (c instanceof MaskConstraint m && m.param().equals(param)) {
                return m.mask();
            }
        }
        return null;
    }

    /** Attaches {@code mask} to its parameter of one layer, replacing a mask already there and keeping other constraints. */
    static void attach(ComputationGraph net, int layer, MaskConstraint mask) {
        List<LayerConstraint> list = new ArrayList<>();
        for (LayerConstraint c : constraints(net, layer)) {
            if (!(c instanceof MaskConstraint m && m.param().equals(mask.param()))) {
                list.add(c);
            }
        }
        list.add(mask);
        layerConf(net, layer).setConstraints(list);
    }

    private static List<LayerConstraint> constraints(ComputationGraph net, int layer) {
        List<LayerConstraint> c = layerConf(net, layer).getConstraints();
        return c == null ? List.of() : c;
    }

    private static Layer layerConf(ComputationGraph net, int layer) {
        return Layers.at(net, layer).conf().getLayer();
    }
}
