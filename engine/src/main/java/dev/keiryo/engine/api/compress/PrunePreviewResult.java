package dev.keiryo.engine.api.compress;

/**
 * What a pruning setting would give, measured on the preview subset without changing the model.
 *
 * @param fileBytes the size of the packed file this setting would produce (connection pruning: a
 *     bound within a few percent; the applied variant reports the exact size of its file)
 * @param millis wall time of the preview itself
 */
public record PrunePreviewResult(
        PruneSetting setting,
        double accuracy,
        int examples,
        long parameters,
        long nonZeros,
        double sparsity,
        long fileBytes,
        double millis) {}
