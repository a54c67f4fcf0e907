package dev.keiryo.engine.api.bench;

/**
 * One ONNX export timed in ONNX Runtime at one batch size ({@code keiryo bench --onnx}).
 *
 * @param format "float32" or "int8"
 * @param medianMillis the median over rounds of each round's median batch time
 * @param speedupVsFloat32 float32's median time over this one's, at the same batch size
 * @param accuracy on the test set, through ONNX Runtime
 */
public record OnnxRow(
        String model,
        String format,
        int batch,
        int rounds,
        double medianMillis,
        double samplesPerSecond,
        double speedupVsFloat32,
        double accuracy,
        int examples)
        implements BenchRow {}
