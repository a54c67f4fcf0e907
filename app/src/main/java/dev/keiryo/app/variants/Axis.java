package dev.keiryo.app.variants;

import dev.keiryo.engine.api.run.VariantMetrics;
import java.util.function.ToDoubleFunction;

/** What the trade-off chart puts against accuracy. */
public enum Axis {
    FILE_SIZE("file size (bytes, log scale)", true, true, m -> m.fileBytes()),
    SPARSITY("sparsity (share of zero parameters)", false, false, VariantMetrics::sparsity),
    BITS("bits per weight", true, false, VariantMetrics::bits),
    LATENCY("latency, batch 1, p50 (ms)", true, false, VariantMetrics::latencyBatch1Ms);

    final String label;
    final boolean lowerBetter;
    final boolean log;

    @SuppressWarnings("ImmutableEnumChecker") // accessor references, no state
    final ToDoubleFunction<VariantMetrics> value;

    Axis(String label, boolean lowerBetter, boolean log, ToDoubleFunction<VariantMetrics> value) {
        this.label = label;
        this.lowerBetter = lowerBetter;
        this.log = log;
        this.value = value;
    }

    public double of(VariantMetrics m) {
        return value.applyAsDouble(m);
    }

    @Override
    public String toString() {
        return label;
    }
}
