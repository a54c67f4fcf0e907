package dev.keiryo.engine.api.model;

import java.util.List;

/**
 * Parameters, non-zeros and FLOPs per sample for a network, per layer and in total. FLOPs count a
 * multiply-add as two operations, for dense and convolution layers (the layers that dominate cost);
 * pooling, activations and batch norm are counted as one operation per output element. Batch norm's
 * running mean and variance count as parameters: they are stored with the model.
 */
public record ModelStats(
        List<LayerStats> layers, long parameters, long nonZeros, long flopsPerSample, long float32Bytes) {

    public double sparsity() {
        return parameters == 0 ? 0 : 1.0 - (double) nonZeros / parameters;
    }
}
