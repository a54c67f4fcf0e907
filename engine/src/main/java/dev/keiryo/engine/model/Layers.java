package dev.keiryo.engine.model;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The layer vertices of a graph in topological order. Keiryo numbers layers by this order (layer
 * tables, masks, packed files): for a chain it is the chain's order, for a graph the order in
 * which its parameters are laid out. Names are the vertex names.
 */
public final class Layers {
    private Layers() {}

    public static List<String> names(ComputationGraphConfiguration conf) {
        List<String> out = new ArrayList<>();
        for (String v : new GraphTopology(conf).order()) {
            if (conf.getVertices().get(v) instanceof LayerVertex) {
                out.add(v);
            }
        }
        return out;
    }

    public static List<String> names(ComputationGraph g) {
        return names(g.getConfiguration());
    }

    public static int count(ComputationGraph g) {
        return names(g).size();
    }

    /** Layer {@code i} in topological order. */
    public static Layer at(ComputationGraph g, int i) {
        return g.getLayer(names(g).get(i));
    }

    /** The configuration of layer {@code i} in topological order. */
    public static org.deeplearning4j.nn.conf.layers.Layer conf(ComputationGraph g, int i) {
        return at(g, i).conf().getLayer();
    }

    /** The preprocessor in front of layer {@code i} (e.g. the flattening before a dense layer), or null. */
    public static InputPreProcessor preProcessor(ComputationGraph g, int i) {
        return ((LayerVertex) g.getConfiguration().getVertices().get(names(g).get(i))).getPreProcessor();
    }

    /** The position of a layer vertex, or -1. */
    public static int indexOf(ComputationGraph g, String name) {
        return names(g).indexOf(name);
    }
}
