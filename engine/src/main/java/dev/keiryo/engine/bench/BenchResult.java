package dev.keiryo.engine.bench;

/**
 * One model's speed, in the same fields as the PyTorch peer's RESULT line (shared/bench) so the
 * two can be put side by side: training samples/s after warm-up, inference samples/s at batch 512.
 */
public record BenchResult(
        String impl,
        String model,
        String dtype,
        int batch,
        long params,
        int warmup,
        int iters,
        double trainSps,
        double inferSps,
        int inferBatch,
        String data,
        String nativeBuild,
        boolean helpersActive,
        String threads,
        String memory) {}
