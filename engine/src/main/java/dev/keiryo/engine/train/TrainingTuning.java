package dev.keiryo.engine.train;

import dev.keiryo.engine.backend.ThreadSettings;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What Keiryo changes about DL4J's training step on one device, in one place so that the trainer
 * and the speed benchmark train alike: the fused Adam step, and the threads for the model's size.
 * Each was measured in paired runs ({@code engine/bench/PairedTraining.java}) or benchmark runs.
 */
public final class TrainingTuning {
    private TrainingTuning() {}

    /**
     * Applies both before {@code net} trains on minibatches like {@code features} with {@code step};
     * close the scope afterwards. A small network on the dense fast path trains on one thread but
     * for its matrix products, which OpenBLAS runs on every core (about 1.3x faster for LeNet-300-100
     * than with the products on one core too, docs/speed.md). A network with convolutions in
     * front splits each minibatch across the cores itself, so everything else stays on one thread;
     * otherwise ND4J's own small ops run on
     * one thread, while matrix products and oneDNN keep every core.
     */
    public static OpThreads.Scope apply(ComputationGraph net, INDArray features, TrainingStep step) {
        FusedAdam.install(net);
        boolean tuned = !"false".equalsIgnoreCase(System.getProperty(ThreadSettings.DISABLE_PROPERTY));
        if (tuned && step.sharded(features)) {
            return OpThreads.limitAll(1);
        }
        if (tuned && step.serial(features)) {
            return OpThreads.limitOpenMp(1);
        }
        return OpThreads.limit(OpThreads.forTraining(net, features));
    }
}
