package dev.keiryo.engine.eval;

import dev.keiryo.engine.api.run.LatencyStats;
import java.util.Arrays;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Times {@code output()} calls on slices of real inputs, after a warm-up, and reports percentiles. */
public final class Latency {
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
        int warmup = Math.max(3, runs / 5);
        long[] nanos = new long[runs];
        long offset = 0;
        for (int r = -warmup; r < runs; r++) {
            if (offset + batch > pool) {
                offset = 0;
            }
            INDArray x = inputs.get(NDArrayIndex.interval(offset, offset + batch));
            offset += batch;
            long t = System.nanoTime();
            net.outputSingle(false, x);
            if (r >= 0) {
                nanos[r] = System.nanoTime() - t;
            }
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
