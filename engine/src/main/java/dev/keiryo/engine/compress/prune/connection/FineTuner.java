package dev.keiryo.engine.compress.prune.connection;

import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Trains a freshly pruned network for a while (the caller's trainer, data and budget), in place.
 * The network carries {@link MaskConstraint}s, so pruned weights stay zero whatever the optimizer.
 */
@FunctionalInterface
public interface FineTuner {
    FineTuner NONE = (net, step) -> {};

    /** {@code step} is the pruning step just taken, 1..steps. */
    void fineTune(ComputationGraph net, int step);
}
