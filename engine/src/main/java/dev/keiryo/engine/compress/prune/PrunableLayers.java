package dev.keiryo.engine.compress.prune;

import dev.keiryo.engine.compress.prune.unit.UnitPruning;
import dev.keiryo.engine.model.Layers;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Which layers connection pruning can act on, by name. Unit pruning's are {@link
 * UnitPruning#prunableLayers}, decided where the shrinking is.
 */
public final class PrunableLayers {
    private PrunableLayers() {}

    /** Layers with a weight matrix: dense, convolution and output layers. */
    public static List<String> connection(ComputationGraph net) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < Layers.count(net); i++) {
            Layer l = Layers.conf(net, i);
            if (!(l instanceof BatchNormalization)
                    && Layers.at(net, i).paramTable().containsKey("W")) {
                names.add(Layers.names(net).get(i));
            }
        }
        return names;
    }
}
