package dev.keiryo.engine.compress.distill;

import dev.keiryo.engine.api.KeiryoException;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** Swaps a classifier's loss without touching its weights: to KD for training, back to cross-entropy to save. */
public final class StudentNets {
    private StudentNets() {}

    /** A new network with the same configuration and weights, whose output layer uses {@code loss}. */
    public static MultiLayerNetwork withLoss(MultiLayerNetwork net, ILossFunction loss) {
        MultiLayerConfiguration c = net.getLayerWiseConfigurations().clone();
        outputLayer(c).setLossFn(loss);
        MultiLayerNetwork out = new MultiLayerNetwork(c);
        out.init(net.params().dup(), false);
        return out;
    }

    /** Checks that the network ends in a softmax output layer, which the KD loss and accuracy assume. */
    public static void requireSoftmaxClassifier(MultiLayerNetwork net, String what) {
        outputLayer(net.getLayerWiseConfigurations(), what);
    }

    private static BaseOutputLayer outputLayer(MultiLayerConfiguration c) {
        return outputLayer(c, "the student");
    }

    private static BaseOutputLayer outputLayer(MultiLayerConfiguration c, String what) {
        var layer = c.getConf(c.getConfs().size() - 1).getLayer();
        if (!(layer instanceof BaseOutputLayer o) || !(o.getActivationFn() instanceof ActivationSoftmax)) {
            throw new KeiryoException(what + " must end in a softmax output layer to be distilled (it ends in "
                    + layer.getClass().getSimpleName() + ").");
        }
        return o;
    }
}
