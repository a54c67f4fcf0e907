package dev.keiryo.engine.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Saves the network (with its updater state) and the training state after an epoch. */
@FunctionalInterface
public interface Checkpointer {
    Checkpointer NONE = (net, state) -> { };

    void save(MultiLayerNetwork net, TrainState state);
}
