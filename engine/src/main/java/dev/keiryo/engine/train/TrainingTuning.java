package dev.keiryo.engine.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What Keiryo changes about DL4J's training step on one device, in one place so that the trainer
 * and the speed benchmark train alike: the fused Adam step, and ND4J's op threads for the model's
 * size. Each was measured in paired runs ({@code engine/bench/PairedTraining.java}).
 */
public final class TrainingTuning {
    private TrainingTuning() {}

    /** Applies both before {@code net} trains on minibatches like {@code features}; close the scope afterwards. */
    public static OpThreads.Scope apply(ComputationGraph net, INDArray features) {
        FusedAdam.install(net);
        return OpThreads.limit(OpThreads.forTraining(net, features));
    }
}
