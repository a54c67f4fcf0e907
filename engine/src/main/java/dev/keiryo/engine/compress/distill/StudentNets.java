package dev.keiryo.engine.compress.distill;

import dev.keiryo.engine.api.KeiryoException;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** Swaps a classifier's loss without touching its weights: to KD for training, back to cross-entropy to save. */
public final class StudentNets {
    private StudentNets() {}

    /** A new network with the same configuration and weights, whose output layer uses {@code loss}. */
    public static ComputationGraph withLoss(ComputationGraph net, ILossFunction loss) {
        ComputationGraphConfiguration c = net.getConfiguration().clone();
        outputLayer(c).setLossFn(loss);
        ComputationGraph out = new ComputationGraph(c);
        out.init(net.params().dup(), false);
        return out;
    }

    /** Checks that the network ends in a softmax output layer, which the KD loss and accuracy assume. */
    public static void requireSoftmaxClassifier(ComputationGraph net, String what) {
        outputLayer(net.getConfiguration(), what);
    }

    private static BaseOutputLayer outputLayer(ComputationGraphConfiguration c) {
        return outputLayer(c, "the student");
    }

    private static BaseOutputLayer outputLayer(ComputationGraphConfiguration c, String what) {
        if (c.getNetworkOutputs().size() != 1
                || !(c.getVertices().get(c.getNetworkOutputs().get(0)) instanceof LayerVertex v)) {
            throw new KeiryoException(what + " must have one output layer to be distilled (it has outputs "
                    + c.getNetworkOutputs() + ").");
        }
        var layer = v.getLayerConf().getLayer();
        if (!(layer instanceof BaseOutputLayer o) || !(o.getActivationFn() instanceof ActivationSoftmax)) {
            throw new KeiryoException(what + " must end in a softmax output layer to be distilled (it ends in "
                    + layer.getClass().getSimpleName() + ").");
        }
        return o;
    }
}
