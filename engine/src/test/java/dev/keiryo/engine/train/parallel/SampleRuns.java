package dev.keiryo.engine.train.parallel;

import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.TrainResult;
import dev.keiryo.engine.api.run.TrainState;
import dev.keiryo.engine.api.run.TrainingListener;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.DataBundle;
import dev.keiryo.engine.data.DataSources;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.eval.Evaluator;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.train.ParallelSettings;
import dev.keiryo.engine.train.TrainSettings;
import dev.keiryo.engine.train.Trainer;
import dev.keiryo.engine.train.Updaters;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

/** LeNet-300-100 (narrowed) on the bundled Fashion-MNIST sample: small enough for the quick suite. */
final class SampleRuns {
    static final DataBundle SAMPLE = DataSources.sample();
    static final Normalizer NORM = Normalizer.fit(Normalizer.Kind.SCALE, SAMPLE.train());

    private SampleRuns() {}

    static TrainSettings settings(int epochs) {
        return new TrainSettings(Updaters.ADAM, 1e-3, 32, epochs, DataType.FLOAT, 0, 0, 0, 17);
    }

    static ComputationGraph net(TrainSettings s) {
        return ModelFactory.build(
                new Architecture(ArchitecturePreset.MLP, 1.0, List.of(128, 64), 0), InputShape.flat(784), 10, s);
    }

    static ArrayDataSetIterator train(int limit) {
        int n = Math.min(limit, SAMPLE.train().size());
        return ArrayDataSetIterator.builder(SAMPLE.train()
                        .subset(java.util.stream.IntStream.range(0, n).toArray()))
                .normalization(NORM)
                .batchSize(32)
                .seed(3)
                .build();
    }

    static double testAccuracy(ComputationGraph net) {
        return Evaluator.evaluate(
                        net,
                        ArrayDataSetIterator.builder(SAMPLE.test())
                                .normalization(NORM)
                                .batchSize(512)
                                .shuffle(false)
                                .build())
                .accuracy();
    }

    /** Trains and returns the result; {@code parallel} null = single device. */
    static TrainResult fit(
            ComputationGraph net,
            TrainSettings s,
            ParallelSettings parallel,
            ArrayDataSetIterator it,
            TrainingListener listener,
            CancellationToken cancel) {
        Trainer t = parallel == null
                ? new Trainer(net, s, listener, cancel)
                : new Trainer(net, s, listener, cancel, new ParallelEpochs(net, parallel, it.totalExamples()));
        return t.fit(it, it.totalExamples(), null, null, TrainState.initial());
    }
}
