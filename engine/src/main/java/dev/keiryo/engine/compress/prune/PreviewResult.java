package dev.keiryo.engine.compress.prune;

/**
 * What a pruning setting would give, measured on the preview subset without changing the model.
 *
 * @param fileBytes the exact size of the packed file this setting would produce
 * @param millis wall time of the preview itself
 */
public record PreviewResult(PruneRequest request, double accuracy, int examples, long parameters, long nonZeros,
        double sparsity, long fileBytes, double millis) {
}
