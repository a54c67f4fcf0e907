package dev.keiryo.engine.eval;

import dev.keiryo.engine.api.run.LatencyStats;
import java.util.Arrays;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Times {@code output()} calls on slices of real inputs, after a warm-up, and reports percentiles. */
public final class Latency {
    static final long WARM_UP_NANOS = 1_000_000_000L;

    private Latency() {}

    /**
     * Times {@code runs} forward passes of one batch after a warm-up.
     *
     * @param inputs a pool of examples (first dimension = examples) at least {@code batch} long
     */
    public static LatencyStats measure(ComputationGraph net, INDArray inputs, int batch, int runs) {
        long pool = inputs.size(0);
        if (pool < batch) {
            throw new IllegalArgumentException("need at least " + batch + " examples, have " + pool);
        }
        return time(
                batch,
                runs,
                (int) Math.min(pool, Integer.MAX_VALUE),
                offset -> Inference.output(net, inputs.get(NDArrayIndex.interval(offset, offset + batch))));
    }

    /** One timed pass: the model's forward pass on the {@code batch} examples starting at {@code offset}. */
    @FunctionalInterface
    public interface Pass {
        void run(int offset);
    }

    /**
     * p50/p95 of {@code runs} passes over consecutive windows of {@code batch} examples out of a
     * pool of {@code pool}, after a warm-up of a fifth of the runs (at least 3) that also lasts at
     * least {@link #WARM_UP_NANOS}: a model trained on the dense fast step has not run DL4J's
     * forward code yet, and the JIT needs that long to compile it. Selecting the window is inside
     * the timing, as it is in any caller's own loop.
     */
    public static LatencyStats time(int batch, int runs, int pool, Pass pass) {
        int warmup = Math.max(3, runs / 5);
        long[] nanos = new long[runs];
        int offset = 0;
        long warmStart = System.nanoTime();
        for (int r = -warmup; r < runs; r++) {
            if (r == -1 && System.nanoTime() - warmStart < WARM_UP_NANOS) {
                r = -2; // one more untimed pass
            }
            if (offset + batch > pool) {
                offset = 0;
            }
            long t = System.nanoTime();
            pass.run(offset);
            if (r >= 0) {
                nanos[r] = System.nanoTime() - t;
            }
            offset += batch;
        }
        Arrays.sort(nanos);
        double p50 = percentile(nanos, 0.50) / 1e6;
        double p95 = percentile(nanos, 0.95) / 1e6;
        return new LatencyStats(batch, runs, p50, p95, batch / (p50 / 1e3));
    }

    static double percentile(long[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
