package dev.keiryo.engine.api.model;

/** One layer's size and cost: what {@code keiryo inspect} and the workbench's layer table show. */
public record LayerStats(
        int index,
        String name,
        String type,
        String outputShape,
        long parameters,
        long nonZeros,
        long flopsPerSample,
        long float32Bytes) {}
