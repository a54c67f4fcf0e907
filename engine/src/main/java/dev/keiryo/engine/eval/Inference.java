package dev.keiryo.engine.eval;

import dev.keiryo.engine.train.BatchNormKernels;
import dev.keiryo.engine.train.DenseChainForward;
import dev.keiryo.engine.train.OpThreads;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A forward pass in inference mode: {@link DenseChainForward} for chains of dense layers (its
 * products pick their own threads), otherwise the network's own pass, with batch norm in Java
 * ({@link BatchNormKernels}), on the thread count that suits its size ({@link OpThreads#forInference}). {@code -Dkeiryo.infer.fast=false} always takes
 * the network's pass.
 */
public final class Inference {
    public static final String DISABLE_PROPERTY = "keiryo.infer.fast";

    private Inference() {}

    public static INDArray output(ComputationGraph net, INDArray features) {
        if (!"false".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY))) {
            Optional<DenseChainForward> dense = DenseChainForward.of(net);
            if (dense.isPresent() && dense.get().accepts(features)) {
                return dense.get().output(features);
            }
            BatchNormKernels.install(net);
        }
        OpThreads.Scope threads = OpThreads.forInference(net, features);
        try {
            return net.outputSingle(false, features);
        } finally {
            threads.close();
        }
    }
}
