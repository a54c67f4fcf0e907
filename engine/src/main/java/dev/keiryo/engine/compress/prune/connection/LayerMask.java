package dev.keiryo.engine.compress.prune.connection;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The keep (1) / prune (0) mask of one parameter of one layer, with the same shape, data type and
 * ordering as the parameter. Masks are shared, not copied, by plans: never modify one in place.
 */
public record LayerMask(int layer, String layerName, String param, INDArray mask, long size, long pruned) {

    public double sparsity() {
        return size == 0 ? 0 : (double) pruned / size;
    }

    /** The network's parameter key, as in {@code net.paramTable()}: {@code "conv1_W"}. */
    public String key() {
        return layerName + "_" + param;
    }

    static LayerMask of(int layer, String layerName, String param, INDArray mask) {
        long size = mask.length();
        long kept = mask.sumNumber().longValue();
        return new LayerMask(layer, layerName, param, mask, size, size - kept);
    }
}
