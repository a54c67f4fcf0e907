package dev.keiryo.engine.cli;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.bench.BenchRequest;
import dev.keiryo.engine.api.bench.OnnxBenchRequest;
import dev.keiryo.engine.api.engine.Engine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "bench",
        description = {
            "Training and inference samples/s for LeNet-300-100 and LeNet-5, as JSON lines.",
            "Same models, data and settings as shared/bench/bench_torch.py; uses the full Fashion-MNIST when found, else the sample."
        })
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--models", split = ",", description = "Models to time (default: lenet300,lenet5).")
    List<String> models = List.of("lenet300", "lenet5");

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description =
                    "Fashion-MNIST folder (default: discovered, else the bundled sample); with --onnx, the folder or"
                            + " file of --source.")
    Path data;

    @Option(
            names = "--synthetic",
            paramLabel = "CxHxW",
            description = "Time on seeded random images of this shape instead (e.g. 3x32x32, the shape of CIFAR;"
                    + " 10,000 training and 2,000 test images, 10 classes); for speed only.")
    String synthetic;

    @Option(names = "--warmup", description = "Untimed iterations (default: 200 for lenet300, 50 for lenet5).")
    Integer warmup;

    @Option(names = "--iters", description = "Timed iterations (default: 600 for lenet300, 300 for lenet5).")
    Integer iters;

    @Option(names = "--passes", description = "Timed inference passes over the test set (default: ${DEFAULT-VALUE}).")
    int passes = 5;

    @Option(names = "--dtype", description = "float (default), double or half.")
    String dtype = "float";

    @Option(names = "--seed")
    long seed = 123;

    @Option(
            names = "--preview",
            description =
                    "Time the pruning and quantization previews (the GUI controls' calls) instead: LeNet-5, 2,000 images.")
    boolean preview;

    @Option(
            names = "--formats",
            description = "Compare double, float, half and bfloat16 instead: accuracy, inference and "
                    + "training samples/s of one trained LeNet-5 (or --model), in one run.")
    boolean formats;

    @Option(
            names = "--model",
            paramLabel = "FILE",
            description = "--preview/--formats: a trained model (default: a LeNet-5, "
                    + "fresh for --preview, trained one epoch for --formats).")
    Path model;

    @Option(
            names = "--parallel",
            description = {
                "Data-parallel rows instead: samples/s and time to --target accuracy for 1 worker",
                "and --workers workers in sync and async mode, medians over --rounds (default model: lenet5)."
            })
    boolean parallel;

    @Option(names = "--rounds", description = "--parallel, --onnx: rounds per mode (default: ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--target", description = "--parallel: test accuracy to time to (default: ${DEFAULT-VALUE}).")
    double target = 0.85;

    @Option(
            names = "--max-epochs",
            description = "--parallel: give up on the target after this many epochs (default: ${DEFAULT-VALUE}).")
    int maxEpochs = 4;

    @Option(
            names = "--workers",
            description = "--parallel: workers of the sync and async rows (default: ${DEFAULT-VALUE}).")
    int workers = 2;

    @Option(
            names = "--averaging-frequency",
            description = "--parallel: sync averaging every K iterations (default: ${DEFAULT-VALUE}).")
    int averagingFrequency = 1;

    @Option(
            names = "--onnx",
            paramLabel = "MODEL",
            description = {
                "Float32 against int8 ONNX exports of MODEL (.zip or .kpack) in ONNX Runtime instead: medians at",
                "batch 1 and 256 over --rounds, the formats taking turns, and the accuracy of both on --source's test set."
            })
    Path onnx;

    @Option(
            names = "--source",
            description = "--onnx: the data source (calibration and test set): sample (default), fashion-mnist, ...")
    String source = "sample";

    @Option(
            names = "--calibration",
            description = "--onnx: training examples for the int8 ranges (default: ${DEFAULT-VALUE}).")
    int calibration = 512;

    @Option(
            names = "--threads",
            description = "--onnx: ONNX Runtime's intra-op threads; 0 for one per core (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--profile",
            paramLabel = "DIR",
            description = {
                "--onnx: also profile both formats at batch 256 in ONNX Runtime, write its per-node traces to DIR",
                "and print the time per operator type (QLinearConv, QuantizeLinear, ...)."
            })
    Path profile;

    @Option(
            names = "--sample",
            description = "Time on the bundled sample even when the full Fashion-MNIST is found (quick checks).")
    boolean sample;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Also write the JSON lines to this file (must not exist).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (out != null && Files.exists(out)) {
            throw new KeiryoException("--out " + out + " already exists; choose a new file name.");
        }
        if (profile != null && onnx == null) {
            throw new KeiryoException("--profile times ONNX Runtime's operators and needs --onnx MODEL as well.");
        }
        if (onnx != null) {
            PrintWriter w = spec.commandLine().getOut();
            List<String> lines = new ArrayList<>();
            Engine.local()
                    .benchOnnx(
                            new OnnxBenchRequest(onnx, source, data, calibration, rounds, threads, profile),
                            row -> emit(w, lines, row),
                            note -> spec.commandLine().getErr().println("keiryo bench: " + note));
            if (out != null) {
                Files.write(out, lines);
            }
            return ExitCode.OK;
        }
        BenchRequest.Parallel parallelRows = null;
        if (parallel) {
            checkParallelOptions();
            List<String> chosen =
                    spec.commandLine().getParseResult().hasMatchedOption("--models") ? models : List.of("lenet5");
            parallelRows = new BenchRequest.Parallel(chosen, rounds, target, maxEpochs, workers, averagingFrequency);
        }
        // The speed rows are the default: any other kind asked for replaces them.
        BenchRequest.Speed speed =
                formats || parallel || preview ? null : new BenchRequest.Speed(models, warmup, iters, passes, dtype);
        BenchRequest request =
                new BenchRequest(data, sample, seed, model, formats, parallelRows, preview, speed, synthetic);
        PrintWriter w = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> lines = new ArrayList<>();
        Engine.local().bench(request, row -> emit(w, lines, row), note -> err.println("keiryo bench: " + note));
        if (out != null) {
            Files.write(out, lines);
        }
        return ExitCode.OK;
    }

    private void checkParallelOptions() {
        if (workers < 2) {
            throw new KeiryoException("--workers must be at least 2 for the data-parallel rows (was " + workers + ").");
        }
        if (averagingFrequency < 1) {
            throw new KeiryoException("--averaging-frequency must be at least 1 (was " + averagingFrequency + ").");
        }
        if (rounds < 1 || maxEpochs < 1) {
            throw new KeiryoException(
                    "--rounds and --max-epochs must be at least 1 (were " + rounds + ", " + maxEpochs + ").");
        }
        if (!(target > 0 && target < 1)) {
            throw new KeiryoException("--target must be an accuracy between 0 and 1 (was " + target + ").");
        }
    }

    /** One {@code RESULT {json}} line, printed at once (benchmarks run long) and kept for --out. */
    private static void emit(PrintWriter w, List<String> lines, Object row) {
        String line = "RESULT " + Json.line(row);
        lines.add(line);
        w.println(line);
        w.flush();
    }
}
