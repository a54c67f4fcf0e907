package dev.keiryo.engine.cli;

import dev.keiryo.engine.bench.BenchResult;
import dev.keiryo.engine.bench.SpeedBench;
import dev.keiryo.engine.data.DataBundle;
import dev.keiryo.engine.data.DataSources;
import dev.keiryo.engine.model.Preset;
import dev.keiryo.engine.train.TrainSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bench", description = {"Training and inference samples/s for LeNet-300-100 and LeNet-5, as JSON lines.",
    "Same models, data and settings as shared/bench/bench_torch.py; uses the full Fashion-MNIST when found, else the sample."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--models", split = ",", description = "Models to time (default: lenet300,lenet5).")
    List<String> models = List.of("lenet300", "lenet5");

    @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST folder (default: discovered, else the bundled sample).")
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

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the JSON lines to this file (must not exist).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (out != null && Files.exists(out)) {
            throw new dev.keiryo.engine.KeiryoException("--out " + out + " already exists; choose a new file name.");
        }
        DataBundle bundle = loadData();
        PrintWriter w = spec.commandLine().getOut();
        List<String> lines = new ArrayList<>();
        for (String m : models) {
            Preset p = Preset.parse(m);
            boolean mlp = !p.convolutional();
            BenchResult r = SpeedBench.run(p, bundle, warmup != null ? warmup : mlp ? 200 : 50, iters != null ? iters : mlp ? 600 : 300,
                    passes, TrainSettings.parseDataType(dtype), seed);
            String line = "RESULT " + Json.line(r);
            lines.add(line);
            w.println(line);
            w.flush();
        }
        if (out != null) {
            Files.write(out, lines);
        }
        return ExitCode.OK;
    }

    private DataBundle loadData() {
        if (data != null) {
            return DataSources.fashionMnist(data);
        }
        try {
            return DataSources.fashionMnist(null);
        } catch (dev.keiryo.engine.KeiryoException notFound) {
            spec.commandLine().getErr().println("keiryo bench: full Fashion-MNIST not found, timing on the bundled sample "
                    + "(install dataset-fashion-mnist for numbers comparable with the peer benchmark)");
            return DataSources.sample();
        }
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }
}
