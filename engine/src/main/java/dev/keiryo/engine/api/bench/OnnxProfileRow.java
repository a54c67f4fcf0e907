package dev.keiryo.engine.api.bench;

/**
 * The time one operator type took in one ONNX export, from ONNX Runtime's per-node profile
 * ({@code keiryo bench --onnx MODEL --profile DIR}).
 *
 * @param format "float32" or "int8"
 * @param threads ONNX Runtime's intra-op threads; 0 for its default (one per core)
 * @param runs profiled runs averaged (after one warm-up run)
 * @param runMillis mean wall time of one run
 * @param operator the ONNX operator type, e.g. QLinearConv
 * @param kind "arithmetic", "quantize" (float to 8 bits and back) or "layout" (reordering activations)
 * @param millis mean kernel time of the operator type per run
 * @param share millis over runMillis
 */
public record OnnxProfileRow(
        String model,
        String format,
        int batch,
        int threads,
        int runs,
        double runMillis,
        String operator,
        String kind,
        double millis,
        double share)
        implements BenchRow {}
