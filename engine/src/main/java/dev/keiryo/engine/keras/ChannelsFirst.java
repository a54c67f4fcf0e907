package dev.keiryo.engine.keras;

import dev.keiryo.engine.api.KeiryoException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Turns the graph DL4J imports from Keras into one Keiryo can feed and train. Keras computes
 * channels-last (NHWC) and DL4J keeps that layout; Keiryo feeds channels-first (NCHW) images and
 * its steps (statistics, pruning, folding) assume it, so every layer is switched to NCHW. The
 * weights stay valid (DL4J keeps convolution kernels as [out, in, h, w] in both layouts) except
 * after a Flatten, where Keras orders features height, width, channel and NCHW orders them
 * channel, height, width: those Dense rows are reordered. The softmax head becomes an output layer
 * with cross-entropy loss, which fine-tuning needs and which DL4J does not add on its own.
 */
final class ChannelsFirst {
    private ChannelsFirst() {}

    static ComputationGraph convert(Path file, ComputationGraph keras, IUpdater updater) {
        ComputationGraphConfiguration src = keras.getConfiguration();
        List<String> outputs = src.getNetworkOutputs();
        String head = outputs.get(0);
        // A Dense followed by Activation('softmax') becomes one output layer named for the Dense.
        String dropped = null;
        if (layer(src, head) instanceof ActivationLayer) {
            dropped = head;
            head = src.getVertexInputs().get(head).get(0);
        }
        GraphBuilder b = new NeuralNetConfiguration.Builder()
                .dataType(src.getDataType())
                .graphBuilder()
                .addInputs(src.getNetworkInputs());
        Map<String, long[]> flattened = new HashMap<>();
        for (String name : src.getTopologicalOrderStr()) {
            GraphVertex v = src.getVertices().get(name);
            if (v == null || name.equals(dropped)) {
                continue; // a network input, or the softmax folded into the head
            }
            String[] inputs = src.getVertexInputs().get(name).toArray(String[]::new);
            if (v instanceof LayerVertex lv) {
                Layer layer = lv.getLayerConf().getLayer().clone();
                InputPreProcessor pre = lv.getPreProcessor() == null
                        ? null
                        : lv.getPreProcessor().clone();
                if (pre instanceof CnnToFeedForwardPreProcessor flat) {
                    flattened.put(
                            name, new long[] {flat.getInputHeight(), flat.getInputWidth(), flat.getNumChannels()});
                    pre = new CnnToFeedForwardPreProcessor(
                            flat.getInputHeight(), flat.getInputWidth(), flat.getNumChannels(), CNN2DFormat.NCHW);
                }
                Layer converted = name.equals(head) ? outputLayer(file, name, layer) : channelsFirst(layer);
                if (converted instanceof BaseLayer trainable) {
                    // Keras's optimizer is not imported; Keiryo's default trains its own models too.
                    trainable.setIUpdater(updater.clone());
                    trainable.setBiasUpdater(null);
                }
                b.addLayer(name, converted, pre, inputs);
            } else if (v instanceof MergeVertex) {
                // Keras concatenates along its last axis, the channels: axis 1 in NCHW.
                b.addVertex(name, new MergeVertex(), inputs);
            } else {
                b.addVertex(name, v.clone(), inputs);
            }
        }
        b.setOutputs(head);
        ComputationGraph g = new ComputationGraph(b.build());
        g.init();
        copyParams(keras, g, flattened);
        return g;
    }

    private static Layer layer(ComputationGraphConfiguration conf, String vertex) {
        return conf.getVertices().get(vertex) instanceof LayerVertex lv
                ? lv.getLayerConf().getLayer()
                : null;
    }

    private static Layer channelsFirst(Layer layer) {
        if (layer instanceof ConvolutionLayer c) {
            c.setCnn2dDataFormat(CNN2DFormat.NCHW);
        } else if (layer instanceof SubsamplingLayer s) {
            s.setCnn2dDataFormat(CNN2DFormat.NCHW);
        } else if (layer instanceof BatchNormalization bn) {
            bn.setCnn2DFormat(CNN2DFormat.NCHW);
        } else if (layer instanceof GlobalPoolingLayer gp) {
            gp.setPoolingDimensions(new int[] {2, 3});
        }
        return layer;
    }

    private static Layer outputLayer(Path file, String name, Layer layer) {
        if (!(layer instanceof DenseLayer d)) {
            throw new KeiryoException(file + ": the layer before the softmax, '" + name + "', became a "
                    + layer.getClass().getSimpleName() + " in DL4J, not a dense layer; Keiryo imports classifiers"
                    + " whose last layer is a Dense with softmax.");
        }
        // The Keras checks let only softmax (or a linear Dense before Activation('softmax')) through.
        boolean softmaxOrLinear = d.getActivationFn() instanceof ActivationSoftmax
                || d.getActivationFn().equals(Activation.IDENTITY.getActivationFunction());
        if (!softmaxOrLinear) {
            throw new KeiryoException(file + ": layer '" + name + "' has activation " + d.getActivationFn()
                    + " before the softmax; Keiryo imports classifiers whose last layer is a Dense with softmax.");
        }
        return new OutputLayer.Builder(LossFunction.MCXENT)
                .name(name)
                .nIn(d.getNIn())
                .nOut(d.getNOut())
                .activation(Activation.SOFTMAX)
                .hasBias(d.hasBias())
                .weightInit(d.getWeightInitFn())
                .build();
    }

    private static void copyParams(ComputationGraph from, ComputationGraph to, Map<String, long[]> flattened) {
        for (org.deeplearning4j.nn.api.Layer target : to.getLayers()) {
            String name = target.conf().getLayer().getLayerName();
            Map<String, INDArray> source = from.getLayer(name).paramTable();
            for (Map.Entry<String, INDArray> p : target.paramTable().entrySet()) {
                INDArray value = source.get(p.getKey());
                if (p.getKey().equals("W") && flattened.containsKey(name)) {
                    value = hwcRowsToChw(value, flattened.get(name));
                }
                p.getValue().assign(value);
            }
        }
    }

    /** The rows of a Dense after a Flatten, from Keras's (height, width, channel) order to NCHW's. */
    private static INDArray hwcRowsToChw(INDArray w, long[] hwc) {
        long h = hwc[0];
        long wd = hwc[1];
        long c = hwc[2];
        return w.reshape('c', h, wd, c, w.size(1)).permute(2, 0, 1, 3).dup('c').reshape('c', h * wd * c, w.size(1));
    }
}
