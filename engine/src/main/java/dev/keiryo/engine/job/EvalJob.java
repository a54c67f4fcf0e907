package dev.keiryo.engine.job;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.AtomicFiles;
import dev.keiryo.engine.api.run.EvalReport;
import dev.keiryo.engine.api.run.EvalRequest;
import dev.keiryo.engine.api.run.EvalResult;
import dev.keiryo.engine.api.run.LatencyStats;
import dev.keiryo.engine.compress.distill.TeacherOutputs;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.CsvReader;
import dev.keiryo.engine.data.DataRequest;
import dev.keiryo.engine.data.DataSources;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.data.ImageFolder;
import dev.keiryo.engine.data.LabelColumn;
import dev.keiryo.engine.eval.Evaluator;
import dev.keiryo.engine.eval.Latency;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelMeta;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Evaluates a saved model on a data set with the normalisation it was trained with. */
public final class EvalJob {
    private EvalJob() {}

    public record Report(EvalResult result, List<LatencyStats> latency) {}

    /** Loads the model in {@code modelFile} and evaluates it on the test set {@code request} names. */
    public static EvalReport evaluate(Path modelFile, EvalRequest request) {
        KeiryoModel model = ModelFiles.load(modelFile);
        Dataset test = testSet(modelFile, model.meta(), request);
        Report r = evaluate(model, test, request.latency());
        if (request.logits() != null) {
            writeLogits(model, test, request.logits());
        }
        return new EvalReport(modelFile, test.name(), test.classNames(), r.result(), r.latency());
    }

    /**
     * The output layer's values before its softmax, one CSV row per example in the order of {@code
     * test}, each written exactly ({@link Float#toString}), so other frameworks' logits can be
     * compared with them.
     */
    static void writeLogits(KeiryoModel model, Dataset test, Path file) {
        ModelMeta meta = model.meta();
        float[] z = TeacherOutputs.cacheLogits(model.net(), test, meta.normalization(), meta.imageShaped(), 512);
        int classes = meta.numClasses();
        StringBuilder b = new StringBuilder(z.length * 12);
        for (int i = 0; i < z.length; i++) {
            b.append(z[i]).append((i + 1) % classes == 0 ? '\n' : ',');
        }
        AtomicFiles.write(file, b.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** The test set {@code request} names, read for a model with {@code meta} (which may be null). */
    public static Dataset testSet(Path modelFile, ModelMeta meta, EvalRequest request) {
        LabelColumn label = request.labelColumn() == null ? LabelColumn.LAST : LabelColumn.of(request.labelColumn());
        String source = request.source() == null ? "" : request.source().strip().toLowerCase(Locale.ROOT);
        if ("images".equals(source)) {
            if (request.data() == null) {
                throw new KeiryoException("evaluating on an image folder needs the folder; give its path.");
            }
            return ImageFolder.testSet(
                    request.data(),
                    new ImageFolder.Options(
                            meta == null ? null : meta.input().height(),
                            false,
                            DataRequest.DEFAULT_TEST_FRACTION,
                            DataRequest.DEFAULT_SEED),
                    meta == null ? 0 : meta.input().channels(),
                    meta == null ? List.of() : meta.classNames());
        }
        if (!"csv".equals(source)) {
            return DataSources.load(new DataRequest(
                            request.source(),
                            request.data(),
                            null,
                            label,
                            DataRequest.DEFAULT_TEST_FRACTION,
                            DataRequest.DEFAULT_SEED))
                    .test();
        }
        if (request.data() == null) {
            throw new KeiryoException("evaluating on CSV data needs the test CSV file; give its path.");
        }
        // The file given to eval is the test set, all of it: loading it as training data would hold
        // out a share as the test set and score the model on that share alone. Its labels are
        // mapped to the model's classes, so a file that lacks a class still means the same classes.
        Dataset classes = meta == null
                ? null
                : Dataset.tabular(
                        modelFile.toString(),
                        new float[0],
                        new int[0],
                        meta.numClasses(),
                        meta.input().size(),
                        meta.classNames());
        return CsvReader.read(request.data(), label, classes);
    }

    public static Report evaluate(KeiryoModel model, Dataset test, boolean withLatency) {
        ModelMeta meta = model.meta();
        check(meta, test);
        EvalResult r = Evaluator.evaluate(model.net(), iterator(meta, test, 512));
        return new Report(r, withLatency ? latency(model, test) : List.of());
    }

    /**
     * Refuses a model without metadata, or a test set of another shape or number of classes.
     *
     * @throws KeiryoException saying which
     */
    public static void check(ModelMeta meta, Dataset test) {
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
