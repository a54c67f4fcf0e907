package dev.keiryo.engine.bench;

import dev.keiryo.engine.eval.Inference;
import dev.keiryo.engine.train.OpThreads;
import dev.keiryo.engine.train.TrainingStep;
import dev.keiryo.engine.train.TrainingTuning;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Training and inference speed in samples per second, timed the same way as the PyTorch peer
 * benchmark (shared/bench/bench_torch.py) so the two can be compared: untimed warm-up
 * iterations first, then a timed stretch; inference over whole passes of the test set.
 */
final class Throughput {
    private static final long WARM_UP_NANOS = 3_000_000_000L;

    private Throughput() {}

    /**
     * Trains on minibatches drawn from {@code data} (starting a new epoch when it runs out) and
     * returns samples/s over the timed iterations. Building each minibatch is timed too, as the
     * peer's indexing of its tensors is. The step is tuned as the trainer tunes it ({@link TrainingTuning}).
     */
    @SuppressWarnings("try") // the resource scopes a native setting; the body never names it
    public static double training(ComputationGraph net, DataSetIterator data, int warmup, int iterations) {
        data.reset();
        DataSet first = next(data);
        TrainingStep step = TrainingStep.of(net);
        try (OpThreads.Scope tuning = TrainingTuning.apply(net, first.getFeatures(), step)) {
            step.fit(first);
            for (int i = 1; i < warmup; i++) {
                step.fit(next(data));
            }
            long samples = 0;
            long start = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                DataSet ds = next(data);
                step.fit(ds);
                samples += ds.numExamples();
            }
            return samples / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static DataSet next(DataSetIterator data) {
        if (!data.hasNext()) {
            data.reset();
        }
        return data.next();
    }

    /** Runs inference over the chunks, untimed for at least two passes and three seconds, then {@code passes} timed passes. */
    public static double inference(ComputationGraph net, List<INDArray> chunks, int passes) {
        // Untimed passes for at least WARM_UP_NANOS: the JIT compiles DL4J's forward path only after
        // a few seconds of calls (LeNet-300-100 infers at half speed before), and a training step
        // that skips DL4J's layers (the dense fast path) no longer warms it up beforehand.
        long warmStart = System.nanoTime();
        for (int p = 0; p < 2 || System.nanoTime() - warmStart < WARM_UP_NANOS; p++) {
            for (INDArray c : chunks) {
                Inference.output(net, c);
            }
        }
        long samples = 0;
        long start = System.nanoTime();
        for (int p = 0; p < passes; p++) {
            for (INDArray c : chunks) {
                Inference.output(net, c);
                samples += c.size(0);
            }
        }
        return samples / ((System.nanoTime() - start) / 1e9);
    }
}
