package dev.keiryo.engine.api.compress;

import dev.keiryo.engine.api.model.WeightHistogram;
import dev.keiryo.engine.api.run.CancellationToken;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Answers "what if I pruned this variant like this?" while a slider moves: accuracy on the preview
 * subset, sparsity, parameters and file size, without changing the variant. It keeps its own copy
 * of the network, made once, so that each preview costs only the pruning and the forward passes.
 */
public interface PrunePreviewer extends AutoCloseable {

    /**
     * Computes in the background, newest request first: a request superseded before its turn is
     * dropped. Results and errors arrive on the previewer's own thread.
     */
    void submit(PruneSetting setting, Consumer<PrunePreviewResult> onResult, Consumer<Throwable> onError);

    /** Computes now, on the caller's thread. */
    PrunePreviewResult preview(PruneSetting setting);

    /** The largest weight magnitude, the end of a threshold slider; 0 for a model without weights. */
    double largestMagnitude();

    /**
     * The magnitude below which global connection pruning to {@code sparsity} removes weights, NaN for
     * a model without weights.
     */
    double cutoff(double sparsity);

    /** The distribution of all of the variant's weights, in {@code bins} bins. */
    WeightHistogram histogram(int bins);

    /**
     * Per layer, the accuracy with that layer alone connection-pruned to each of {@code levels},
     * without fine-tuning; the curves so far when {@code cancel} (may be null) is cancelled.
     */
    Map<String, List<SensitivityPoint>> connectionSensitivity(List<Double> levels, CancellationToken cancel);

    /** As {@link #connectionSensitivity}, with units removed from each layer alone, ranked by {@code criterion}. */
    Map<String, List<SensitivityPoint>> unitSensitivity(
            List<Double> levels, UnitCriterion criterion, CancellationToken cancel);

    /** Stops the background thread; a request still running finishes without being delivered. */
    @Override
    void close();
}
