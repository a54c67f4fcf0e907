package dev.keiryo.engine.bench;

import dev.keiryo.engine.api.bench.PreviewRow;
import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import dev.keiryo.engine.api.compress.QuantPreviewResult;
import dev.keiryo.engine.api.compress.QuantSpec;
import dev.keiryo.engine.api.compress.UnitCriterion;
import dev.keiryo.engine.compress.prune.PreviewResult;
import dev.keiryo.engine.compress.prune.PruneRequest;
import dev.keiryo.engine.compress.prune.PruningPreview;
import dev.keiryo.engine.compress.prune.unit.UnitPruneSpec;
import dev.keiryo.engine.compress.quant.QuantizationPreview;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.preview.PreviewSubset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Times the previews the GUI's controls call: a sweep of settings, as a drag would produce, each
 * evaluated on the same validation subset. Reports median and p95 per mode, plus the inference
 * alone on the same subset, since that is the floor no preview can go below.
 */
public final class PreviewBench {
    private static final int WARM_UP = 5;

    private PreviewBench() {}

    public static List<PreviewRow> run(KeiryoModel model, Dataset validation, int examples, int requests) {
        int n = Math.min(examples, validation.size());
        List<PreviewRow> out = new ArrayList<>();
        List<PruneRequest> conn = new ArrayList<>();
        List<PruneRequest> unit = new ArrayList<>();
        List<QuantSpec> bits = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            double s = 0.05 + 0.9 * i / Math.max(1, requests - 1);
            conn.add(PruneRequest.of(ConnectionPruneSpec.global(s)));
            unit.add(PruneRequest.of(UnitPruneSpec.allHidden(Math.min(0.9, s), UnitCriterion.L1)));
            // All distinct: the preview caches settings it has seen, and this times the uncached ones.
            bits.add(
                    QuantSpec.affine(2 + i % 15).withPerChannel(i / 15 % 2 == 0).withSymmetric(i / 30 % 2 == 0));
        }
        PreviewSubset subset = new PreviewSubset(validation, model.meta(), n);
        // The first passes pay for JIT compilation and oneDNN's primitive creation, which a user
        // dragging a slider pays once per session, not per position.
        for (int i = 0; i < WARM_UP; i++) {
            subset.accuracy(model.net(), () -> false);
        }
        try (PruningPreview preview = new PruningPreview(model, validation, examples)) {
            out.add(time("connection-global", n, conn, r -> preview.evaluate(r, () -> false), PreviewResult::accuracy));
            out.add(time("unit-l1", n, unit, r -> preview.evaluate(r, () -> false), PreviewResult::accuracy));
        }
        // The quantization preview caches what it has computed, so each sweep gets a fresh one.
        QuantizationPreview[] fresh = new QuantizationPreview[1];
        Runnable freshPreview = () -> {
            if (fresh[0] != null) {
                fresh[0].close();
            }
            fresh[0] = new QuantizationPreview(model, validation, examples);
        };
        try {
            out.add(time(
                    "quantize-bits",
                    n,
                    bits,
                    s -> fresh[0].evaluate(s, () -> false),
                    QuantPreviewResult::accuracy,
                    freshPreview));
        } finally {
            if (fresh[0] != null) {
                fresh[0].close();
            }
        }
        List<Integer> passes = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            passes.add(i);
        }
        out.add(time("inference-only", n, passes, i -> subset.accuracy(model.net(), () -> false), a -> a));
        // The same passes through the network's own output(): the baseline the lean pass is measured against.
        out.add(time(
                "inference-network-output", n, passes, i -> subset.accuracy(model.net(), null, () -> false), a -> a));
        return out;
    }

    /**
     * Runs the sweep twice and reports the second: a user drags back and forth over the same
     * positions, and the first sweep of a process also pays for compiling the preview's Java code
     * (measured on a 2-core AMD EPYC (AVX-512): connection previews fell from ~97 to ~63 ms over three sweeps). The first
     * sweep's median is reported as well.
     */
    private static <Q, R> PreviewRow time(
            String mode, int examples, List<Q> requests, Function<Q, R> evaluate, ToDoubleFunction<R> accuracy) {
        return time(mode, examples, requests, evaluate, accuracy, () -> {});
    }

    /** As above, with {@code beforeSweep} run (untimed) before each of the two sweeps. */
    private static <Q, R> PreviewRow time(
            String mode,
            int examples,
            List<Q> requests,
            Function<Q, R> evaluate,
            ToDoubleFunction<R> accuracy,
            Runnable beforeSweep) {
        beforeSweep.run();
        double[] first = sweep(requests, evaluate, accuracy, new double[2]);
        beforeSweep.run();
        double[] range = {1, 0};
        double[] ms = sweep(requests, evaluate, accuracy, range);
        return new PreviewRow(
                mode,
                examples,
                ms.length,
                round(ms[ms.length / 2]),
                round(ms[(int) Math.ceil(0.95 * ms.length) - 1]),
                round(first[first.length / 2]),
                range[0],
                range[1]);
    }

    /** Sorted milliseconds per request; {@code range} receives the lowest and highest accuracy. */
    private static <Q, R> double[] sweep(
            List<Q> requests, Function<Q, R> evaluate, ToDoubleFunction<R> accuracy, double[] range) {
        double[] ms = new double[requests.size()];
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            R r = evaluate.apply(requests.get(i));
            ms[i] = (System.nanoTime() - t) / 1e6;
            range[0] = Math.min(range[0], accuracy.applyAsDouble(r));
            range[1] = Math.max(range[1], accuracy.applyAsDouble(r));
        }
        Arrays.sort(ms);
        return ms;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
