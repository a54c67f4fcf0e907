package dev.keiryo.engine.bench;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.bench.BenchRequest;
import dev.keiryo.engine.api.bench.BenchRow;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.DataBundle;
import dev.keiryo.engine.data.DataSources;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.job.ModelFiles;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.train.TrainSettings;
import java.util.function.Consumer;

/**
 * Runs what {@code keiryo bench} asks for on one data set: the format, data-parallel, preview and
 * speed rows, handing each row over as soon as it is measured (benchmarks run long).
 */
public final class Benchmarks {
    private Benchmarks() {}

    /**
     * Runs the kinds of rows {@code request} asks for, in its order.
     *
     * @param rows receives each row when measured
     * @param notes receives what the user should know about the numbers (which data, what runs first)
     */
    public static void run(BenchRequest request, Consumer<BenchRow> rows, Consumer<String> notes) {
        DataBundle bundle = loadData(request, notes);
        if (request.formats()) {
            KeiryoModel trained = request.model() != null
                    ? ModelFiles.load(request.model())
                    : oneEpoch(previewModel(request, bundle), bundle, request.seed(), notes);
            FormatBench.run(trained, bundle, 1000, request.seed()).forEach(rows);
        }
        BenchRequest.Parallel parallel = request.parallel();
        if (parallel != null) {
            for (String m : parallel.models()) {
                ParallelBench.run(
                                ArchitecturePreset.parse(m),
                                bundle,
                                parallel.rounds(),
                                parallel.target(),
                                parallel.maxEpochs(),
                                parallel.workers(),
                                parallel.averagingFrequency(),
                                request.seed(),
                                notes)
                        .forEach(rows);
            }
        }
        if (request.preview()) {
            PreviewBench.run(previewModel(request, bundle), bundle.test(), 2000, 40)
                    .forEach(rows);
        }
        BenchRequest.Speed speed = request.speed();
        if (speed != null) {
            for (String m : speed.models()) {
                ArchitecturePreset p = ArchitecturePreset.parse(m);
                boolean mlp = !p.convolutional();
                rows.accept(SpeedBench.run(
                        p,
                        bundle,
                        speed.warmup() != null ? speed.warmup() : mlp ? 200 : 50,
                        speed.iters() != null ? speed.iters() : mlp ? 600 : 300,
                        speed.passes(),
                        TrainSettings.parseDataType(speed.dtype()),
                        request.seed()));
            }
        }
    }

    private static KeiryoModel previewModel(BenchRequest request, DataBundle bundle) {
        if (request.model() != null) {
            return ModelFiles.load(request.model());
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

    private static KeiryoModel oneEpoch(KeiryoModel m, DataBundle bundle, long seed, Consumer<String> notes) {
        notes.accept("training a LeNet-5 for one epoch first (give --model to skip this)");
        m.net()
                .fit(ArrayDataSetIterator.builder(bundle.train())
                        .normalization(m.meta().normalization())
                        .batchSize(SpeedBench.BATCH)
                        .seed(seed)
                        .shuffle(true)
                        .imageShaped(true)
                        .build());
        return m;
    }

    private static DataBundle loadData(BenchRequest request, Consumer<String> notes) {
        if (request.synthetic() != null) {
            return SyntheticImages.bundle(request.synthetic(), request.seed());
        }
        if (request.sample()) {
            return DataSources.sample();
        }
        if (request.data() != null) {
            return DataSources.fashionMnist(request.data());
        }
        try {
            return DataSources.fashionMnist(null);
        } catch (KeiryoException notFound) {
            notes.accept("full Fashion-MNIST not found, timing on the bundled sample "
                    + "(install dataset-fashion-mnist for numbers comparable with the peer benchmark)");
            return DataSources.sample();
        }
    }
}
