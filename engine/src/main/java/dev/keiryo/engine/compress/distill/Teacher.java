package dev.keiryo.engine.compress.distill;

import dev.keiryo.engine.model.InputShape;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** A frozen teacher: its network (only ever run in inference mode), its input shape and layout. */
public record Teacher(ComputationGraph net, InputShape input, boolean imageShaped) {}
