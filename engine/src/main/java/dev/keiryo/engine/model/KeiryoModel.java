package dev.keiryo.engine.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** A network with its metadata; the unit that is saved, loaded, evaluated and compressed. */
public record KeiryoModel(MultiLayerNetwork net, ModelMeta meta) {}
