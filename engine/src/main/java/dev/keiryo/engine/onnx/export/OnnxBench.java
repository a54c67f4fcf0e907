package dev.keiryo.engine.onnx.export;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.bench.BenchRow;
import dev.keiryo.engine.api.bench.OnnxBenchRequest;
import dev.keiryo.engine.api.bench.OnnxProfileRow;
import dev.keiryo.engine.api.bench.OnnxRow;
import dev.keiryo.engine.api.model.ExportRequest;
import dev.keiryo.engine.data.DataRequest;
import dev.keiryo.engine.data.DataSources;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.data.LabelColumn;
import dev.keiryo.engine.job.EvalJob;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.onnx.ort.OrtModel;
import dev.keiryo.engine.onnx.ort.OrtProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import onnx.Onnx.ModelProto;

/**
 * {@code keiryo bench --onnx}: exports one model as float32 and as int8, and times both in ONNX
 * Runtime at batch 1 and 256 in the same process, the formats taking turns in every round (so a
 * slow spell of the machine hits both), reporting the median of the rounds' medians and the
 * accuracy of each on the test set.
 */
public final class OnnxBench {
    private static final String[] FORMATS = {"float32", "int8"};
    private static final int PROFILED_RUNS = 20;

    private OnnxBench() {}

    public static void run(OnnxBenchRequest r, Consumer<BenchRow> rows, Consumer<String> notes) {
        if (r.rounds() < 1 || r.calibration() < 1 || r.threads() < 0) {
            throw new KeiryoException("--rounds and --calibration must be at least 1 and --threads at least 0"
                    + " (were " + r.rounds() + ", " + r.calibration() + ", " + r.threads() + ").");
        }
        Path tmp;
        try {
            tmp = Files.createTempDirectory("keiryo-onnx-bench");
        } catch (IOException e) {
            throw new KeiryoException("cannot create a temporary folder for the exports (" + e.getMessage() + ").", e);
        }
        try {
            Path[] files = {tmp.resolve("float32.onnx"), tmp.resolve("int8.onnx")};
            OnnxExport.export(new ExportRequest(r.model(), files[0], false, 0, null, null));
            OnnxExport.export(new ExportRequest(r.model(), files[1], true, r.calibration(), r.source(), r.data()));
            Dataset test = DataSources.load(new DataRequest(
                            r.source(),
                            r.data(),
                            null,
                            LabelColumn.LAST,
                            DataRequest.DEFAULT_TEST_FRACTION,
                            DataRequest.DEFAULT_SEED))
                    .test();
            Path optimized = tmp.resolve("int8.optimized.onnx");
            try (OrtModel f = OrtModel.open(files[0], new OrtModel.Options(r.threads(), null));
                    OrtModel q = OrtModel.open(files[1], new OrtModel.Options(r.threads(), optimized))) {
                notes.accept("int8 graph as ONNX Runtime runs it: " + operators(optimized));
                time(r, new OrtModel[] {f, q}, OnnxEval.meta(f, files[0]), test, rows);
            }
            if (r.profile() != null) {
                profile(r, files, test, rows);
            }
        } finally {
            delete(tmp);
        }
    }

    private static void time(
            OnnxBenchRequest r, OrtModel[] models, ModelMeta meta, Dataset test, Consumer<BenchRow> rows) {
        EvalJob.check(meta, test);
        int[] batches = {1, Math.min(256, test.size())};
        double[][][] p50 = new double[2][batches.length][r.rounds()];
        for (int round = 0; round < r.rounds(); round++) {
            for (int turn = 0; turn < 2; turn++) {
                int m = (round + turn) % 2;
                for (int b = 0; b < batches.length; b++) {
                    int runs = batches[b] == 1 ? 100 : 10;
                    p50[m][b][round] = OnnxEval.time(models[m], meta, test, batches[b], runs)
                            .p50Millis();
                }
            }
        }
        double[] accuracy = {
            OnnxEval.score(models[0], meta, test).accuracy(),
            OnnxEval.score(models[1], meta, test).accuracy()
        };
        for (int b = 0; b < batches.length; b++) {
            double base = median(p50[0][b]);
            for (int m = 0; m < 2; m++) {
                double ms = median(p50[m][b]);
                rows.accept(new OnnxRow(
                        r.model().getFileName().toString(),
                        FORMATS[m],
                        batches[b],
                        r.rounds(),
                        ms,
                        batches[b] / (ms / 1e3),
                        base / ms,
                        accuracy[m],
                        test.size()));
            }
        }
    }

    /**
     * Runs each format {@link #PROFILED_RUNS} times at the larger batch in a profiling session of its
     * own (profiling slows the runs a little, so the timed sessions stay unprofiled) and emits one row
     * per operator type. The traces stay in the profile folder.
     */
    private static void profile(OnnxBenchRequest r, Path[] files, Dataset test, Consumer<BenchRow> rows) {
        Path dir = r.profile();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new KeiryoException(
                    "cannot create the --profile folder " + dir + " (" + e.getMessage()
                            + "); choose a folder you can write to.",
                    e);
        }
        int batch = Math.min(256, test.size());
        for (int m = 0; m < 2; m++) {
            Path prefix = dir.resolve(FORMATS[m] + "-batch" + batch + "-threads" + r.threads());
            OrtProfile p;
            try (OrtModel model = OrtModel.open(files[m], new OrtModel.Options(r.threads(), null, prefix))) {
                ModelMeta meta = OnnxEval.meta(model, files[m]);
                float[] x = Arrays.copyOf(test.features(), batch * test.featureCount());
                for (int i = 0; i <= PROFILED_RUNS; i++) {
                    model.run(x, OnnxEval.shape(meta, batch));
                }
                p = OrtProfile.read(model.endProfiling());
            }
            for (Map.Entry<String, Double> e : p.operatorMillis().entrySet()) {
                rows.accept(new OnnxProfileRow(
                        r.model().getFileName().toString(),
                        FORMATS[m],
                        batch,
                        r.threads(),
                        p.runs(),
                        p.runMillis(),
                        e.getKey(),
                        OrtProfile.kind(e.getKey()),
                        e.getValue(),
                        e.getValue() / p.runMillis()));
            }
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String operators(Path optimized) {
        try {
            Map<String, Integer> ops = OnnxExport.operators(ModelProto.parseFrom(Files.readAllBytes(optimized)));
            return ops.toString();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A leftover temporary folder is harmless; the results are already out.
        }
    }
}
