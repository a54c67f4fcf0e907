package dev.keiryo.engine.compress.prune;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Which layers each kind of pruning can act on, by name. */
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

    /** Hidden dense and convolution layers: the output layer's units are the classes. */
    public static List<String> unit(MultiLayerNetwork net) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer l = net.getLayerWiseConfigurations().getConf(i).getLayer();
            if ((l instanceof DenseLayer || l.getClass() == ConvolutionLayer.class)
                    && !(l instanceof BaseOutputLayer)) {
                names.add(l.getLayerName());
            }
        }
        return names;
    }
}
