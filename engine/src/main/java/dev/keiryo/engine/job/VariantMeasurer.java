package dev.keiryo.engine.job;

import dev.keiryo.engine.api.model.ModelStats;
import dev.keiryo.engine.api.run.LatencyStats;
import dev.keiryo.engine.api.run.VariantMetrics;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelStatistics;
import dev.keiryo.engine.variant.VariantStore;

/** Measures a variant on one fixed evaluation set, so all variants of a run are comparable. */
final class VariantMeasurer implements VariantStore.Measurer {
    private final Dataset evalSet;
    private final boolean latency;

    VariantMeasurer(Dataset evalSet, boolean latency) {
        this.evalSet = evalSet;
        this.latency = latency;
    }

    public Dataset evalSet() {
        return evalSet;
    }

    @Override
    public VariantMetrics measure(KeiryoModel model, long fileBytes, String fileEncoding, double bits) {
        EvalJob.Report r = EvalJob.evaluate(model, evalSet, latency);
        ModelStats stats = ModelStatistics.of(
                model.net(), model.meta().input().toInputType(model.meta().imageShaped()));
        LatencyStats one = r.latency().isEmpty() ? null : r.latency().get(0);
        LatencyStats large = r.latency().size() < 2 ? null : r.latency().get(1);
        return new VariantMetrics(
                r.result().accuracy(),
                r.result().loss(),
                r.result().examples(),
                stats.parameters(),
                stats.nonZeros(),
                stats.flopsPerSample(),
                fileBytes,
                fileEncoding,
                bits,
                one == null ? Double.NaN : one.p50Millis(),
                large == null ? Double.NaN : large.p50Millis(),
                large == null ? 0 : large.batchSize());
    }
}
