package dev.keiryo.engine.compress.prune;

import dev.keiryo.engine.compress.pack.PackOptions;
import dev.keiryo.engine.compress.pack.PackWriter;
import dev.keiryo.engine.compress.prune.connection.ConnectionPlan;
import dev.keiryo.engine.compress.prune.connection.ConnectionPruning;
import dev.keiryo.engine.compress.prune.connection.Masks;
import dev.keiryo.engine.compress.prune.unit.UnitPlan;
import dev.keiryo.engine.compress.prune.unit.UnitPruning;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.preview.LatestWins;
import dev.keiryo.engine.preview.PreviewSubset;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Answers "what if I pruned like this?" for the GUI's threshold slider: accuracy on a validation
 * subset, sparsity, parameters and the exact packed file size, without changing the model. It works
 * on its own copy of the network, so the model may be used elsewhere meanwhile; requests go through
 * {@link LatestWins}, so while the slider moves only the newest setting is computed and delivered.
 */
public final class PruningPreview implements AutoCloseable {
    private final KeiryoModel model;
    private final MultiLayerNetwork source;
    private final MultiLayerNetwork scratch;
    private final INDArray original;
    private final PreviewSubset subset;
    private final LatestWins<PruneRequest, PreviewResult> worker;

    public PruningPreview(KeiryoModel model, Dataset validation, int examples) {
        this.model = model;
        this.source = Masks.present(model.net()) ? Masks.strip(model.net().clone()) : model.net().clone();
        this.scratch = source.clone();
        this.original = source.params().dup();
        this.subset = new PreviewSubset(validation, model.meta(), examples);
        this.worker = new LatestWins<>("keiryo-prune-preview", this::evaluate);
    }

    /** Computes in the background; superseded requests are dropped, results arrive on the worker thread. */
    public void submit(PruneRequest request, Consumer<PreviewResult> onResult, Consumer<Throwable> onError) {
        worker.submit(request, onResult, onError);
    }

    /** Computes now, on the caller's thread; returns null if {@code superseded} turned true meanwhile. */
    public synchronized PreviewResult evaluate(PruneRequest request, BooleanSupplier superseded) {
        long start = System.nanoTime();
        MultiLayerNetwork net;
        long nonZeros;
        if (request.connection() != null) {
            ConnectionPlan plan = ConnectionPruning.plan(source, request.connection());
            ConnectionPruning.applyInPlace(scratch, original, plan);
            net = scratch;
            nonZeros = source.numParams() - plan.pruned();
        } else {
            UnitPlan plan = UnitPruning.plan(source, request.unit(), null);
            net = UnitPruning.shrink(source, plan);
            nonZeros = net.numParams();
        }
        double accuracy = subset.accuracy(net, superseded);
        if (Double.isNaN(accuracy)) {
            return null;
        }
        long bytes = PackWriter.measure(new KeiryoModel(net, model.meta()), PackOptions.defaults()).totalBytes();
        long params = net.numParams();
        return new PreviewResult(request, accuracy, subset.size(), params, nonZeros,
                1.0 - (double) nonZeros / source.numParams(), bytes, (System.nanoTime() - start) / 1e6);
    }

    @Override
    public void close() {
        worker.close();
    }
}
