package dev.keiryo.engine.compress.prune;

import dev.keiryo.engine.compress.prune.unit.UnitPruning;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Which layers connection pruning can act on, by name. Unit pruning's are {@link
 * UnitPruning#prunableLayers}, decided where the shrinking is.
 */
public final class PrunableLayers {
    private PrunableLayers() {}

    /** Layers with a weight matrix: dense, convolution and output layers. */
    public static List<String> connection(MultiLayerNetwork net) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer l = net.getLayerWiseConfigurations().getConf(i).getLayer();
            if (!(l instanceof BatchNormalization)
                    && net.getLayer(i).paramTable().containsKey("W")) {
                names.add(l.getLayerName());
            }
        }
        return names;
    }
}
