package dev.keiryo.engine.eval;

import dev.keiryo.engine.train.OpThreads;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A forward pass in inference mode, on the thread count that suits its size ({@link OpThreads#forInference}). */
public final class Inference {
    private Inference() {}

    public static INDArray output(ComputationGraph net, INDArray features) {
        OpThreads.Scope threads = OpThreads.forInference(net, features);
        try {
            return net.outputSingle(false, features);
        } finally {
            threads.close();
        }
    }
}
