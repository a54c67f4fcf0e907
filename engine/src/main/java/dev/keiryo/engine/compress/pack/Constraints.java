package dev.keiryo.engine.compress.pack;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;

/**
 * Removes layer constraints from a copy of a configuration. Constraints run after each training
 * step (max-norm, non-negativity, pruning masks); inference never applies them, yet a mask
 * constraint would put a dense text copy of its mask into the stored JSON.
 */
public final class Constraints {
    private Constraints() {}

    /** A copy of {@code conf} without constraints on any layer; {@code conf} itself is untouched. */
    public static ComputationGraphConfiguration stripped(ComputationGraphConfiguration conf) {
        ComputationGraphConfiguration copy = conf.clone();
        for (GraphVertex v : copy.getVertices().values()) {
            if (v instanceof LayerVertex lv) {
                strip(lv.getLayerConf().getLayer());
            }
        }
        return copy;
    }

    /** Whether any layer vertex of {@code conf} has a constraint. */
    public static boolean present(ComputationGraphConfiguration conf) {
        for (GraphVertex v : conf.getVertices().values()) {
            if (v instanceof LayerVertex lv && constrained(lv.getLayerConf().getLayer())) {
                return true;
            }
        }
        return false;
    }

    /** A copy of {@code conf} without constraints on any layer; {@code conf} itself is untouched. */
    public static MultiLayerConfiguration stripped(MultiLayerConfiguration conf) {
        MultiLayerConfiguration copy = conf.clone();
        for (NeuralNetConfiguration layerConf : copy.getConfs()) {
            strip(layerConf.getLayer());
        }
        return copy;
    }

    /** Whether any layer of {@code conf} has a constraint. */
    public static boolean present(MultiLayerConfiguration conf) {
        for (NeuralNetConfiguration layerConf : conf.getConfs()) {
            if (constrained(layerConf.getLayer())) {
                return true;
            }
        }
        return false;
    }

    private static boolean constrained(Layer layer) {
        for (Layer l = layer; l != null; l = inner(l)) {
            if (l.getConstraints() != null && !l.getConstraints().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static void strip(Layer layer) {
        for (Layer l = layer; l != null; l = inner(l)) {
            l.setConstraints(null);
        }
    }

    /** Wrappers (frozen layers) keep their own constraints and those of the layer they wrap. */
    private static Layer inner(Layer l) {
        if (l instanceof BaseWrapperLayer w) {
            return w.getUnderlying();
        }
        if (l instanceof FrozenLayer f) {
            return f.getLayer();
        }
        return null;
    }
}
