package dev.keiryo.engine.api.compress;

/**
 * What a quantization setting would give, measured on the preview subset without changing the model.
 *
 * @param fileBytes the exact size of the packed file this setting produces
 * @param float32FileBytes the same file with every tensor stored as dense float32
 * @param millis wall time of the preview itself
 */
public record QuantPreviewResult(
        QuantSpec spec, double accuracy, int examples, long fileBytes, long float32FileBytes, double millis) {

    /** How many times smaller than the float32 file. */
    public double ratio() {
        return (double) float32FileBytes / fileBytes;
    }
}
