package dev.keiryo.engine.train;

import dev.keiryo.engine.api.run.EvalResult;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Scores the network on held-out data at the end of each epoch. */
@FunctionalInterface
public interface Validator {
    EvalResult evaluate(ComputationGraph net);
}
