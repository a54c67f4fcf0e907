package dev.keiryo.engine.train;

import dev.keiryo.engine.api.run.TrainState;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Saves the network (with its updater state), the training state and, with early stopping on, the
 * best epoch's weights after an epoch, so a resumed run can still end on its best weights.
 */
@FunctionalInterface
public interface Checkpointer {
    Checkpointer NONE = (net, state, best) -> {};

    /**
     * Saves the network and the training state so that a run can resume after this epoch.
     *
     * @param bestParams the flat parameters of the best epoch so far, or null when not tracked
     */
    void save(ComputationGraph net, TrainState state, INDArray bestParams);
}
