package dev.keiryo.engine.bench;

import dev.keiryo.engine.api.bench.SpeedRow;
import dev.keiryo.engine.backend.BackendInfo;
import dev.keiryo.engine.backend.NativeSetup;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.DataBundle;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.train.TrainSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;

/**
 * Keiryo's side of the speed comparison with shared/bench/bench_torch.py: the same models, data
 * (divided by 255), Adam 1e-3, batch 128, Xavier-normal weights; inference over the test set in
 * chunks of 512, untimed passes for at least three seconds, then timed ones.
 */
public final class SpeedBench {
    public static final int BATCH = 128;
    public static final int INFER_BATCH = 512;

    private SpeedBench() {}

    public static SpeedRow run(
            ArchitecturePreset preset, DataBundle data, int warmup, int iters, int passes, DataType dtype, long seed) {
        BackendInfo backend = NativeSetup.initialize();
        TrainSettings settings =
                new TrainSettings(TrainSettings.defaults().optimizer(), 1e-3, BATCH, 1, dtype, 0, 0, 0, seed);
        InputShape input = new InputShape(
                data.train().channels(), data.train().height(), data.train().width());
        ComputationGraph net =
                ModelFactory.build(Architecture.of(preset), input, data.train().numClasses(), settings);
        Normalizer norm = Normalizer.fit(Normalizer.Kind.SCALE, data.train());
        boolean image = preset.convolutional();
        ArrayDataSetIterator train = ArrayDataSetIterator.builder(data.train())
                .normalization(norm)
                .batchSize(BATCH)
                .seed(seed)
                .shuffle(true)
                .imageShaped(image)
                .build();
        train.setPreProcessor(ds -> cast(ds, dtype));
        double trainSps = Throughput.training(net, train, warmup, iters);
        ArrayDataSetIterator test = ArrayDataSetIterator.builder(data.test())
                .normalization(norm)
                .batchSize(INFER_BATCH)
                .shuffle(false)
                .imageShaped(image)
                .build();
        List<INDArray> chunks = new ArrayList<>();
        while (test.hasNext()) {
            chunks.add(test.next().getFeatures().castTo(dtype));
        }
        double inferSps = Throughput.inference(net, chunks, passes);
        return SpeedRow.builder()
                .impl("keiryo")
                .model(peerName(preset))
                .dtype(dtype.name().toLowerCase(Locale.ROOT))
                .batch(BATCH)
                .params(net.numParams())
                .warmup(warmup)
                .iters(iters)
                .trainSps(round(trainSps))
                .inferSps(round(inferSps))
                .inferBatch(INFER_BATCH)
                .data(data.description())
                .nativeBuild(backend.nativeBuild())
                .helpersActive(backend.helpersActive())
                .threads(backend.threadVariables().toString())
                .memory(backend.nativeMemory().describe() + "; "
                        + backend.nativeMemory().allocator())
                .build();
    }

    private static void cast(DataSet ds, DataType dtype) {
        if (ds.getFeatures().dataType() != dtype) {
            ds.setFeatures(ds.getFeatures().castTo(dtype));
            ds.setLabels(ds.getLabels().castTo(dtype));
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** The model's name in the PyTorch peer benchmark, so rows of both line up. */
    static String peerName(ArchitecturePreset preset) {
        return switch (preset) {
            case LENET5 -> "cnn";
            case LENET300 -> "mlp";
            default -> preset.id();
        };
    }
}
