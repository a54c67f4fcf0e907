package dev.keiryo.engine.cli;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.model.ExportRequest;
import dev.keiryo.engine.api.model.ExportResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "export",
        description = {
            "Export a model (.zip or .kpack) to ONNX, float32 or int8 (QDQ), for ONNX Runtime.",
            "The file takes raw inputs (the normalization is in the graph) and gives class probabilities; see docs/onnx.md."
        })
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "A model file (runs/<run>/models/model.zip or a variant's .kpack).")
    Path model;

    @Option(names = "--format", paramLabel = "onnx|onnx-int8", description = "onnx (float32, default) or onnx-int8.")
    String format = "onnx";

    @Option(
            names = "--out",
            paramLabel = "FILE",
            required = true,
            description = "The ONNX file to write (must not exist).")
    Path out;

    @Option(
            names = "--calibration",
            paramLabel = "N",
            description =
                    "onnx-int8: training examples the activation ranges are measured on (default: ${DEFAULT-VALUE}).")
    int calibration = ExportRequest.DEFAULT_CALIBRATION;

    @Option(
            names = "--source",
            description = "onnx-int8: the training data's source: sample (default), fashion-mnist, mnist, idx, csv,"
                    + " cifar10, cifar100 or images.")
    String source = "sample";

    @Option(names = "--data", paramLabel = "PATH", description = "onnx-int8: the training data's folder or file.")
    Path data;

    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() {
        String f = format == null ? "" : format.strip().toLowerCase(Locale.ROOT);
        if (!f.equals("onnx") && !f.equals("onnx-int8")) {
            throw new KeiryoException("--format " + format + " is not known; use onnx (float32) or onnx-int8.");
        }
        ExportResult r =
                Engine.local().export(new ExportRequest(model, out, f.equals("onnx-int8"), calibration, source, data));
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(Json.line(r));
            return ExitCode.OK;
        }
        w.printf(Locale.ROOT, "wrote %s (%s, %,d bytes)%n", r.out(), r.format(), r.bytes());
        if (r.calibrationExamples() > 0) {
            w.printf(Locale.ROOT, "activation ranges from %d training examples%n", r.calibrationExamples());
        }
        StringBuilder ops = new StringBuilder("operators:");
        for (Map.Entry<String, Integer> e : r.operators().entrySet()) {
            ops.append(' ').append(e.getKey()).append(" x").append(e.getValue());
        }
        w.println(ops);
        return ExitCode.OK;
    }
}
