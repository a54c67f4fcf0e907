package dev.keiryo.engine.job;

import dev.keiryo.engine.api.compress.PrunePreviewResult;
import dev.keiryo.engine.api.compress.PrunePreviewer;
import dev.keiryo.engine.api.compress.PruneSetting;
import dev.keiryo.engine.api.compress.SensitivityPoint;
import dev.keiryo.engine.api.compress.UnitCriterion;
import dev.keiryo.engine.api.model.WeightHistogram;
import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.compress.prune.PreviewResult;
import dev.keiryo.engine.compress.prune.PruneRequest;
import dev.keiryo.engine.compress.prune.PruningPreview;
import dev.keiryo.engine.compress.prune.Sensitivity;
import dev.keiryo.engine.compress.prune.unit.UnitPruneSpec;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.WeightHistograms;
import dev.keiryo.engine.preview.PreviewSubset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** A session's {@link PrunePreviewer}: the engine's {@link PruningPreview} of one variant, answering in API types. */
final class SessionPrunePreviewer implements PrunePreviewer {
    private final KeiryoModel model;
    private final PruningPreview preview;
    // Sensitivity curves run beside the slider's previews, so they measure on a subset of their own.
    private final PreviewSubset subset;
    private final float[] magnitudes;

    SessionPrunePreviewer(KeiryoModel model, Dataset choices, int examples) {
        this.model = model;
        this.preview = new PruningPreview(model, choices, examples);
        this.magnitudes = WeightHistograms.sortedMagnitudes(model.net());
        this.subset = new PreviewSubset(choices, model.meta(), examples);
    }

    @Override
    public void submit(PruneSetting setting, Consumer<PrunePreviewResult> onResult, Consumer<Throwable> onError) {
        preview.submit(request(setting), r -> onResult.accept(result(setting, r)), onError);
    }

    @Override
    public PrunePreviewResult preview(PruneSetting setting) {
        return result(setting, preview.evaluate(request(setting), () -> false));
    }

    @Override
    public double largestMagnitude() {
        return magnitudes.length == 0 ? 0 : magnitudes[magnitudes.length - 1];
    }

    @Override
    public double cutoff(double sparsity) {
        int n = magnitudes.length;
        return n == 0 ? Double.NaN : magnitudes[Math.min(n - 1, (int) Math.floor(sparsity * n))];
    }

    @Override
    public WeightHistogram histogram(int bins) {
        return WeightHistograms.of(model.net(), -1, bins);
    }

    @Override
    public Map<String, List<SensitivityPoint>> connectionSensitivity(List<Double> levels, CancellationToken cancel) {
        return points(Sensitivity.connection(model.net(), List.of(), levels, subset, cancelled(cancel)));
    }

    @Override
    public Map<String, List<SensitivityPoint>> unitSensitivity(
            List<Double> levels, UnitCriterion criterion, CancellationToken cancel) {
        return points(Sensitivity.unit(model.net(), List.of(), levels, criterion, null, subset, cancelled(cancel)));
    }

    @Override
    public void close() {
        preview.close();
    }

    private static PruneRequest request(PruneSetting s) {
        return s.isUnit()
                ? PruneRequest.of(UnitPruneSpec.allHidden(s.unitShare(), s.criterion()))
                : PruneRequest.of(s.connection());
    }

    private static PrunePreviewResult result(PruneSetting s, PreviewResult r) {
        return new PrunePreviewResult(
                s, r.accuracy(), r.examples(), r.parameters(), r.nonZeros(), r.sparsity(), r.fileBytes(), r.millis());
    }

    private static BooleanSupplier cancelled(CancellationToken cancel) {
        return cancel == null ? () -> false : cancel::isCancelled;
    }

    private static Map<String, List<SensitivityPoint>> points(Map<String, List<Sensitivity.Point>> curves) {
        Map<String, List<SensitivityPoint>> out = new LinkedHashMap<>();
        curves.forEach((layer, points) -> out.put(
                layer,
                points.stream()
                        .map(p -> new SensitivityPoint(p.level(), p.accuracy(), p.parameters(), p.nonZeros()))
                        .toList()));
        return out;
    }
}
