package dev.keiryo.engine.cli;

import dev.keiryo.engine.bench.BenchResult;
import dev.keiryo.engine.bench.FormatBench;
import dev.keiryo.engine.bench.PreviewBench;
import dev.keiryo.engine.bench.SpeedBench;
import dev.keiryo.engine.data.DataBundle;
import dev.keiryo.engine.data.DataSources;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.train.TrainSettings;
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
            description = "Fashion-MNIST folder (default: discovered, else the bundled sample).")
    Path data;

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

    @Option(names = "--rounds", description = "--parallel: rounds per mode (default: ${DEFAULT-VALUE}).")
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
            throw new dev.keiryo.engine.api.KeiryoException(
                    "--out " + out + " already exists; choose a new file name.");
        }
        DataBundle bundle = loadData();
        PrintWriter w = spec.commandLine().getOut();
        List<String> lines = new ArrayList<>();
        if (formats) {
            KeiryoModel trained = model != null
                    ? dev.keiryo.engine.job.ModelFiles.load(model)
                    : oneEpoch(previewModel(bundle), bundle);
            for (FormatBench.Row r : FormatBench.run(trained, bundle, 1000, seed)) {
                emit(w, lines, r);
            }
            models = List.of();
        }
        if (parallel) {
            checkParallelOptions();
            List<String> chosen =
                    spec.commandLine().getParseResult().hasMatchedOption("--models") ? models : List.of("lenet5");
            for (String m : chosen) {
                for (dev.keiryo.engine.bench.ParallelBench.Row row : dev.keiryo.engine.bench.ParallelBench.run(
                        ArchitecturePreset.parse(m),
                        bundle,
                        rounds,
                        target,
                        maxEpochs,
                        workers,
                        averagingFrequency,
                        seed,
                        line -> spec.commandLine().getErr().println("keiryo bench: " + line))) {
                    emit(w, lines, row);
                }
            }
            models = List.of();
        }
        if (preview) {
            for (PreviewBench.Stats s : PreviewBench.run(previewModel(bundle), bundle.test(), 2000, 40)) {
                emit(w, lines, s);
            }
            models = List.of();
        }
        for (String m : models) {
            ArchitecturePreset p = ArchitecturePreset.parse(m);
            boolean mlp = !p.convolutional();
            BenchResult r = SpeedBench.run(
                    p,
                    bundle,
                    warmup != null ? warmup : mlp ? 200 : 50,
                    iters != null ? iters : mlp ? 600 : 300,
                    passes,
                    TrainSettings.parseDataType(dtype),
                    seed);
            emit(w, lines, r);
        }
        if (out != null) {
            Files.write(out, lines);
        }
        return ExitCode.OK;
    }

    private void checkParallelOptions() {
        if (workers < 2) {
            throw new dev.keiryo.engine.api.KeiryoException(
                    "--workers must be at least 2 for the data-parallel rows (was " + workers + ").");
        }
        if (averagingFrequency < 1) {
            throw new dev.keiryo.engine.api.KeiryoException(
                    "--averaging-frequency must be at least 1 (was " + averagingFrequency + ").");
        }
        if (rounds < 1 || maxEpochs < 1) {
            throw new dev.keiryo.engine.api.KeiryoException(
                    "--rounds and --max-epochs must be at least 1 (were " + rounds + ", " + maxEpochs + ").");
        }
        if (!(target > 0 && target < 1)) {
            throw new dev.keiryo.engine.api.KeiryoException(
                    "--target must be an accuracy between 0 and 1 (was " + target + ").");
        }
    }

    private KeiryoModel previewModel(DataBundle bundle) {
        if (model != null) {
            return dev.keiryo.engine.job.ModelFiles.load(model);
        }
        Dataset t = bundle.train();
        InputShape input = new InputShape(t.channels(), t.height(), t.width());
        return new KeiryoModel(
                ModelFactory.build(
                        Architecture.of(ArchitecturePreset.LENET5), input, t.numClasses(), TrainSettings.defaults()),
                new ModelMeta(
                        ModelMeta.FORMAT_VERSION,
                        "lenet5",
                        input,
                        true,
                        t.numClasses(),
                        t.classNames(),
                        Normalizer.fit(Normalizer.Kind.SCALE, t)));
    }

    /** One {@code RESULT {json}} line, printed at once (benchmarks run long) and kept for --out. */
    private static void emit(PrintWriter w, List<String> lines, Object row) {
        String line = "RESULT " + Json.line(row);
        lines.add(line);
        w.println(line);
        w.flush();
    }

    private KeiryoModel oneEpoch(KeiryoModel m, DataBundle bundle) {
        spec.commandLine()
                .getErr()
                .println("keiryo bench: training a LeNet-5 for one epoch first (give --model to skip this)");
        m.net()
                .fit(dev.keiryo.engine.data.ArrayDataSetIterator.builder(bundle.train())
                        .normalization(m.meta().normalization())
                        .batchSize(SpeedBench.BATCH)
                        .seed(seed)
                        .shuffle(true)
                        .imageShaped(true)
                        .build());
        return m;
    }

    private DataBundle loadData() {
        if (sample) {
            return DataSources.sample();
        }
        if (data != null) {
            return DataSources.fashionMnist(data);
        }
        try {
            return DataSources.fashionMnist(null);
        } catch (dev.keiryo.engine.api.KeiryoException notFound) {
            spec.commandLine()
                    .getErr()
                    .println("keiryo bench: full Fashion-MNIST not found, timing on the bundled sample "
                            + "(install dataset-fashion-mnist for numbers comparable with the peer benchmark)");
            return DataSources.sample();
        }
    }
}
