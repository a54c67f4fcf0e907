package dev.keiryo.engine.compress.quant;

/**
 * What a quantization setting would give, measured on the preview subset without changing the model.
 *
 * @param fileBytes the exact size of the packed file this setting produces
 * @param compressionVsFloat32 the float32 parameter bytes over {@code fileBytes}
 * @param millis wall time of the preview itself
 */
public record QuantPreviewResult(QuantSpec spec, double accuracy, int examples, long fileBytes, double compressionVsFloat32,
        double millis) {
}
