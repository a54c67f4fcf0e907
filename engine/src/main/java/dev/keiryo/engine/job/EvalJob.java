package dev.keiryo.engine.job;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.run.EvalResult;
import dev.keiryo.engine.api.run.LatencyStats;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.eval.Evaluator;
import dev.keiryo.engine.eval.Latency;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelMeta;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Evaluates a saved model on a data set with the normalisation it was trained with. */
public final class EvalJob {
    private EvalJob() {}

    public record Report(EvalResult result, List<LatencyStats> latency) {}

    public static Report evaluate(KeiryoModel model, Dataset test, boolean withLatency) {
        ModelMeta meta = model.meta();
        if (meta == null) {
            throw new KeiryoException(
                    "the model has no Keiryo metadata (input shape, normalisation), so Keiryo cannot feed"
                            + " it data correctly; evaluate a model saved by 'keiryo train'.");
        }
        if (meta.input().size() != test.featureCount()) {
            throw new KeiryoException(
                    "the model expects " + meta.input().size() + " input features but the data '" + test.name()
                            + "' has " + test.featureCount() + "; evaluate it on the kind of data it was trained on.");
        }
        if (meta.numClasses() != test.numClasses()) {
            throw new KeiryoException(
                    "the model predicts " + meta.numClasses() + " classes but the data '" + test.name() + "' has "
                            + test.numClasses() + "; evaluate it on the kind of data it was trained on.");
        }
        EvalResult r = Evaluator.evaluate(model.net(), iterator(meta, test, 512));
        return new Report(r, withLatency ? latency(model, test) : List.of());
    }

    /** p50/p95 at batch 1 and at batch 256, on real inputs from {@code data}. */
    static List<LatencyStats> latency(KeiryoModel model, Dataset data) {
        int pool = Math.min(data.size(), 1024);
        INDArray x = iterator(model.meta(), data, pool).next().getFeatures();
        List<LatencyStats> latency = new ArrayList<>();
        latency.add(Latency.measure(model.net(), x, 1, 200));
        latency.add(Latency.measure(model.net(), x, Math.min(256, pool), 20));
        return latency;
    }

    static ArrayDataSetIterator iterator(ModelMeta meta, Dataset d, int batch) {
        return ArrayDataSetIterator.builder(d)
                .normalization(meta.normalization())
                .batchSize(batch)
                .shuffle(false)
                .imageShaped(meta.imageShaped())
                .build();
    }
}
