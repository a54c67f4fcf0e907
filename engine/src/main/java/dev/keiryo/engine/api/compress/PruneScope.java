package dev.keiryo.engine.api.compress;

/** Where a sparsity target applies: to each layer on its own, or to all included weights together. */
public enum PruneScope {
    /** Every included layer reaches the target (or its own entry in the per-layer map). */
    PER_LAYER,
    /**
     * One magnitude cut-off over all included weights: layers with many small weights lose more,
     * which usually costs less accuracy than the same sparsity everywhere.
     */
    GLOBAL
}
