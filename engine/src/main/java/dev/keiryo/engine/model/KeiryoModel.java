package dev.keiryo.engine.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A network with its metadata; the unit that is saved, loaded, evaluated and compressed. The
 * network is always a graph: a chain of layers is a graph with one path.
 */
public record KeiryoModel(ComputationGraph net, ModelMeta meta) {
    /** A chain of layers, as older model files and DL4J's list builder give it, as a graph. */
    public static KeiryoModel of(MultiLayerNetwork chain, ModelMeta meta) {
        return new KeiryoModel(Chains.toGraph(chain), meta);
    }
}
