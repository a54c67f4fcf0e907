package dev.keiryo.engine.api.model;

import java.util.List;

/**
 * One vertex of a model's graph, for showing its shape: a layer, a residual sum, a merge or the
 * network input, and the vertices it reads. A chain of layers is a graph whose every vertex reads
 * the one before it.
 *
 * @param name the vertex name (layers are addressed by it, e.g. {@code s1b1.conv2.bn})
 * @param kind what the vertex is
 * @param type the layer's type (e.g. {@code ConvolutionLayer}) or the vertex's operation (e.g.
 *     {@code Add} for a residual sum)
 * @param inputs the vertices it reads, in order; empty for a network input
 * @param outputShape what it produces per example, e.g. {@code 16x32x32}
 * @param layer its position in {@link ModelStats#layers()}, or -1 for a vertex without a layer
 */
public record Vertex(String name, Kind kind, String type, List<String> inputs, String outputShape, int layer) {

    public Vertex {
        inputs = List.copyOf(inputs);
    }

    /** What a vertex is. */
    public enum Kind {
        /** A network input. */
        INPUT,
        /** A layer: convolution, dense, batch norm, activation, pooling, output, ... */
        LAYER,
        /** An element-wise operation on inputs of one shape, e.g. a residual {@code Add}. */
        ELEMENT_WISE,
        /** Inputs stacked along the channels. */
        MERGE,
        /** Any other vertex (reshaping, subsets, scaling, ...). */
        OTHER
    }

    /** Reads more than one vertex: a residual sum or a merge, where branches join. */
    public boolean joins() {
        return inputs.size() > 1;
    }
}
