package dev.keiryo.engine.train;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;

/**
 * One minibatch of training for a network: {@link DenseChainStep} where it covers the network,
 * DL4J's {@code fit} otherwise. {@code -Dkeiryo.train.fast=false} always takes DL4J's path, the
 * reference the fast one is tested against.
 */
public final class TrainingStep {
    public static final String DISABLE_PROPERTY = "keiryo.train.fast";

    private final ComputationGraph net;
    private final DenseChainStep dense;

    private TrainingStep(ComputationGraph net, DenseChainStep dense) {
        this.net = net;
        this.dense = dense;
    }

    /** The step for {@code net} as it is configured now; make a new one after changing its layers. */
    public static TrainingStep of(ComputationGraph net) {
        boolean off = "false".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY));
        if (!off) {
            BatchNormKernels.install(net);
            keepForwardOutputs(net);
        }
        return new TrainingStep(net, off ? null : DenseChainStep.of(net).orElse(null));
    }

    /**
     * Has DL4J keep each layer's output before its activation from the forward pass for the
     * backward one. Without it a convolution layer computes its forward pass a second time in
     * {@code backpropGradient} (for the activation's derivative, even the identity's): ResNet-20
     * trained 12-18% faster with it. A cache mode the network was given is kept.
     */
    private static void keepForwardOutputs(ComputationGraph net) {
        CacheMode mode = net.getConfiguration().getCacheMode();
        if (mode == null || mode == CacheMode.NONE) {
            net.getConfiguration().setCacheMode(CacheMode.DEVICE);
            net.setCacheMode(CacheMode.DEVICE);
        }
    }

    /** Whether minibatches like {@code ds} skip DL4J's layer machinery. */
    public boolean fast(DataSet ds) {
        return dense != null
                && dense.accepts(ds.getFeatures(), ds.getLabels(), ds.getFeaturesMaskArray(), ds.getLabelsMaskArray());
    }

    /** Whether minibatches of {@code features}' size take the fast path on one thread ({@link DenseChainStep#serial}). */
    boolean serial(INDArray features) {
        return dense != null && dense.serial(features);
    }

    /** Whether minibatches like {@code features} are split across cores by the step itself ({@link DenseChainStep#sharded}). */
    boolean sharded(INDArray features) {
        return dense != null && dense.sharded(features);
    }

    /** Trains on {@code ds}; returns the minibatch's score, as {@link ComputationGraph#score()} then does. */
    public double fit(DataSet ds) {
        if (fast(ds)) {
            return dense.fit(ds.getFeatures(), ds.getLabels());
        }
        net.fit(ds);
        return net.score();
    }
}
