package dev.keiryo.engine.cli;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.run.EvalReport;
import dev.keiryo.engine.api.run.EvalRequest;
import dev.keiryo.engine.api.run.LatencyStats;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "eval",
        description =
                "Evaluate a saved model on a test set: accuracy, loss, per-class accuracy, confusion matrix, latency.")
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            paramLabel = "MODEL",
            description =
                    "A model file: runs/<run>/models/model.zip, a variant's .kpack, or an .onnx file from 'keiryo export'.")
    Path modelFile;

    @Option(
            names = "--source",
            description = "sample (default), fashion-mnist, mnist, idx, csv, cifar10, cifar100 or images.")
    String source = "sample";

    @Option(
            names = "--data",
            paramLabel = "PATH",
            description = "Data folder, or the test CSV file (all of its rows are evaluated); for images, the"
                    + " folder's test/ sub-folder, or all its images when it has none.")
    Path data;

    @Option(names = "--label-column", paramLabel = "NAME|INDEX")
    String labelColumn;

    @Option(names = "--no-latency", negatable = true, description = "Skip the latency measurement.")
    boolean latency = true;

    @Option(
            names = "--logits",
            paramLabel = "FILE",
            description = "Also write the model's logits (its output layer's values before the softmax) for every"
                    + " test example to this CSV file, one row per example in the test set's order.")
    Path logits;

    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() {
        if (data == null && "csv".equals(source == null ? "" : source.strip().toLowerCase(Locale.ROOT))) {
            throw new KeiryoException("eval --source csv needs the test CSV file; pass it with --data.");
        }
        EvalReport r = Engine.local().evaluate(modelFile, new EvalRequest(source, data, labelColumn, latency, logits));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", modelFile.toString());
            m.put("data", r.data());
            m.put("result", r.result());
            m.put("latency", r.latency());
            out.println(Json.line(m));
            return ExitCode.OK;
        }
        out.printf(
                Locale.ROOT,
                "%s on %s (%d examples)%n",
                modelFile,
                r.data(),
                r.result().examples());
        out.printf(
                Locale.ROOT,
                "accuracy %.4f  loss %.4f%n",
                r.result().accuracy(),
                r.result().loss());
        List<String> names = r.classNames();
        double[] pc = r.result().perClassAccuracy();
        for (int c = 0; c < pc.length; c++) {
            out.printf(Locale.ROOT, "  %-14s %.4f%n", c < names.size() ? names.get(c) : Integer.toString(c), pc[c]);
        }
        out.println("confusion (rows: actual, columns: predicted)");
        for (long[] row : r.result().confusion()) {
            StringBuilder b = new StringBuilder(" ");
            for (long v : row) {
                b.append(String.format(Locale.ROOT, "%6d", v));
            }
            out.println(b);
        }
        for (LatencyStats l : r.latency()) {
            out.printf(
                    Locale.ROOT,
                    "latency batch %d: p50 %.2f ms, p95 %.2f ms (%,.0f samples/s)%n",
                    l.batchSize(),
                    l.p50Millis(),
                    l.p95Millis(),
                    l.samplesPerSecond());
        }
        return ExitCode.OK;
    }
}
