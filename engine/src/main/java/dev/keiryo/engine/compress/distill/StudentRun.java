package dev.keiryo.engine.compress.distill;

import dev.keiryo.engine.api.compress.DistillMode;
import dev.keiryo.engine.api.run.TrainResult;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * One trained student.
 *
 * @param net the student with a plain cross-entropy output layer, ready to save and evaluate
 * @param hintLosses the hint stage's mean L2 loss per epoch (empty without hints)
 * @param curve the per-epoch accuracy on the curve set (validation or test), for plots only
 */
public record StudentRun(
        DistillMode mode,
        long seed,
        ComputationGraph net,
        TrainResult result,
        List<Double> hintLosses,
        List<Double> curve) {}
