package dev.keiryo.engine.compress.prune.connection;

import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * One finished step of iterative pruning: the target, the plan that was applied, the sparsity the
 * network has after fine-tuning (over the pruned parameters; equal to the plan's when the masks
 * held) and the network itself, which the next step prunes further.
 */
public record PruneStep(
        int step, int steps, double targetSparsity, ConnectionPlan plan, double sparsity, ComputationGraph net) {}
