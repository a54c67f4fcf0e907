package dev.keiryo.engine.onnx.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.run.EvalReport;
import dev.keiryo.engine.api.run.EvalRequest;
import dev.keiryo.engine.api.run.EvalResult;
import dev.keiryo.engine.api.run.LatencyStats;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.eval.Evaluator;
import dev.keiryo.engine.eval.Latency;
import dev.keiryo.engine.job.EvalJob;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.onnx.ort.OrtModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code keiryo eval} of an ONNX file written by {@code keiryo export}: the same test set, scores
 * and latency rows as for a model zip, computed by ONNX Runtime. The file's metadata tells its input
 * shape and classes; it takes raw inputs, so the data goes in unnormalized.
 */
public final class OnnxEval {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 256;

    private OnnxEval() {}

    public static boolean isOnnx(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    /** Evaluates the ONNX file on the test set {@code request} names. */
    public static EvalReport evaluate(Path file, EvalRequest request) {
        if (request.logits() != null) {
            throw new KeiryoException("--logits needs a Keiryo model (.zip or .kpack): an exported .onnx file"
                    + " ends in a softmax and gives probabilities, not logits.");
        }
        if (!Files.isRegularFile(file)) {
            throw new KeiryoException("model file " + file + " does not exist; give the path of an .onnx file"
                    + " written by 'keiryo export'.");
        }
        try (OrtModel m = OrtModel.open(file, OrtModel.Options.DEFAULT)) {
            ModelMeta meta = meta(m, file);
            Dataset test = EvalJob.testSet(file, meta, request);
            EvalJob.check(meta, test);
            EvalResult r = score(m, meta, test);
            List<LatencyStats> latency = new ArrayList<>();
            if (request.latency()) {
                int pool = Math.min(test.size(), 1024);
                latency.add(time(m, meta, test, 1, 200));
                latency.add(time(m, meta, test, Math.min(BATCH, pool), 20));
            }
            return new EvalReport(file, test.name(), test.classNames(), r, latency);
        }
    }

    /** The {@link ModelMeta} that {@code keiryo export} stored in the file. */
    public static ModelMeta meta(OrtModel m, Path file) {
        String json = m.metadata().get(OnnxNetwork.META_KEY);
        if (json == null) {
            throw new KeiryoException("ONNX file " + file + " has no Keiryo metadata (" + OnnxNetwork.META_KEY
                    + "), so its input and classes are unknown; evaluate a file written by 'keiryo export'.");
        }
        try {
            return JSON.readValue(json, ModelMeta.class);
        } catch (IOException e) {
            throw new KeiryoException(
                    "ONNX file " + file + " has damaged Keiryo metadata (" + e.getMessage()
                            + "); export the model again.",
                    e);
        }
    }

    /** Accuracy, loss, per-class accuracy and confusion of the model's probabilities on {@code test}. */
    public static EvalResult score(OrtModel m, ModelMeta meta, Dataset test) {
        int k = meta.numClasses();
        int d = test.featureCount();
        long[][] confusion = new long[k][k];
        double loss = 0;
        for (int start = 0; start < test.size(); start += BATCH) {
            int b = Math.min(BATCH, test.size() - start);
            float[] p = m.run(Arrays.copyOfRange(test.features(), start * d, (start + b) * d), shape(meta, b));
            for (int i = 0; i < b; i++) {
                int best = 0;
                for (int c = 1; c < k; c++) {
                    best = p[i * k + c] > p[i * k + best] ? c : best;
                }
                int actual = test.label(start + i);
                confusion[actual][best]++;
                loss -= Math.log(Math.max(p[i * k + actual], 1e-12));
            }
        }
        return Evaluator.summarize(confusion, test.size(), loss);
    }

    /** p50/p95 of {@code runs} batches of {@code batch} real examples, after a warm-up. */
    public static LatencyStats time(OrtModel m, ModelMeta meta, Dataset data, int batch, int runs) {
        int d = data.featureCount();
        long[] shape = shape(meta, batch);
        // ONNX Runtime takes a Java array: the copy of the window is part of what a caller pays per batch.
        return Latency.time(
                batch,
                runs,
                Math.min(data.size(), Math.max(1024, batch)),
                offset -> m.run(Arrays.copyOfRange(data.features(), offset * d, (offset + batch) * d), shape));
    }

    /** The input shape for {@code batch} examples. */
    public static long[] shape(ModelMeta meta, int batch) {
        InputShape in = meta.input();
        return meta.imageShaped() && in.isImage()
                ? new long[] {batch, in.channels(), in.height(), in.width()}
                : new long[] {batch, in.size()};
    }
}
