package dev.keiryo.engine.compress.prune;

import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import dev.keiryo.engine.api.compress.UnitCriterion;
import dev.keiryo.engine.compress.pack.EncodingChoice;
import dev.keiryo.engine.compress.pack.PackOptions;
import dev.keiryo.engine.compress.pack.PackWriter;
import dev.keiryo.engine.compress.prune.connection.ConnectionPlan;
import dev.keiryo.engine.compress.prune.connection.ConnectionPruning;
import dev.keiryo.engine.compress.prune.connection.ConnectionRanking;
import dev.keiryo.engine.compress.prune.connection.LayerMask;
import dev.keiryo.engine.compress.prune.connection.Masks;
import dev.keiryo.engine.compress.prune.unit.UnitPlan;
import dev.keiryo.engine.compress.prune.unit.UnitPruning;
import dev.keiryo.engine.compress.prune.unit.UnitRanking;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.preview.LatestWins;
import dev.keiryo.engine.preview.PreviewSubset;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Answers "what if I pruned like this?" for the GUI's threshold slider: accuracy on a validation
 * subset, sparsity, parameters and the exact packed file size, without changing the model. It works
 * on its own copy of the network, so the model may be used elsewhere meanwhile; requests go through
 * {@link LatestWins}, so while the slider moves only the newest setting is computed and delivered.
 */
public final class PruningPreview implements AutoCloseable {
    private final ComputationGraph source;
    private final ComputationGraph scratch;
    private final INDArray original;
    private final PreviewSubset subset;
    private final LatestWins<PruneRequest, PreviewResult> worker;
    private final Map<String, ConnectionRanking> rankings = new HashMap<>();
    private final Map<UnitCriterion, UnitRanking> unitRankings = new EnumMap<>(UnitCriterion.class);
    private final long denseBytes;

    public PruningPreview(KeiryoModel model, Dataset validation, int examples) {
        this.source = Masks.present(model.net())
                ? Masks.strip(model.net().clone())
                : model.net().clone();
        this.scratch = source.clone();
        this.original = source.params().dup();
        this.subset = new PreviewSubset(validation, model.meta(), examples);
        this.denseBytes = PackWriter.measure(
                        new KeiryoModel(source, model.meta()),
                        PackOptions.defaults().withEncoding(EncodingChoice.DENSE))
                .totalBytes();
        this.worker = new LatestWins<>("keiryo-prune-preview", this::evaluate);
    }

    /** Computes in the background; superseded requests are dropped, results arrive on the worker thread. */
    public void submit(PruneRequest request, Consumer<PreviewResult> onResult, Consumer<Throwable> onError) {
        worker.submit(request, onResult, onError);
    }

    /** Computes now, on the caller's thread; returns null if {@code superseded} turned true meanwhile. */
    public synchronized PreviewResult evaluate(PruneRequest request, BooleanSupplier superseded) {
        long start = System.nanoTime();
        long params;
        long nonZeros;
        long bytes;
        double accuracy;
        if (request.connection() != null) {
            ConnectionPlan plan = rankings.computeIfAbsent(
                            rankingKey(request.connection()), k -> ConnectionPruning.rank(source, request.connection()))
                    .plan(request.connection());
            ConnectionPruning.applyInPlace(scratch, original, plan);
            accuracy = subset.accuracy(scratch, superseded);
            params = source.numParams();
            nonZeros = params - plan.pruned();
            bytes = sparseBytes(plan);
        } else {
            // Ranked once per criterion: a slider move only plans a prefix and shrinks.
            UnitPlan plan = unitRankings
                    .computeIfAbsent(
                            request.unit().criterion(),
                            c -> UnitRanking.of(source, c, null, UnitPruning.DEFAULT_SCORING_BATCHES))
                    .plan(request.unit());
            // Building the smaller network costs less than it saves: its forward passes are cheaper.
            accuracy = subset.accuracy(UnitPruning.shrink(source, plan), superseded);
            params = plan.parametersAfter();
            nonZeros = params;
            // A shrunk network is stored dense: its file is the unpruned file minus 4 bytes per removed parameter.
            bytes = denseBytes - 4 * (source.numParams() - params);
        }
        if (Double.isNaN(accuracy)) {
            return null;
        }
        return new PreviewResult(
                request,
                accuracy,
                subset.size(),
                params,
                nonZeros,
                1.0 - (double) nonZeros / source.numParams(),
                bytes,
                (System.nanoTime() - start) / 1e6);
    }

    /**
     * The packed size with each pruned tensor stored as a bitmask plus its non-zeros, or dense when
     * that is smaller: an upper bound within a few percent of the real file (the writer may pick
     * relative indices, which are smaller), computed in microseconds instead of packing the model.
     */
    private long sparseBytes(ConnectionPlan plan) {
        long bytes = denseBytes;
        for (LayerMask m : plan.masks()) {
            long n = m.size();
            long sparse = (n + 7) / 8 + 4 * (n - m.pruned());
            bytes -= 4 * n - Math.min(4 * n, sparse);
        }
        return bytes;
    }

    /** Rankings depend on which weights compete, not on how many are cut: one per layer selection. */
    private static String rankingKey(ConnectionPruneSpec s) {
        return s.scope() + "|" + s.layers() + "|" + s.exclude() + "|" + s.includeBiases() + "|"
                + s.layerSparsity().keySet();
    }

    @Override
    public void close() {
        worker.close();
    }
}
