package dev.keiryo.engine.onnx.export;

/**
 * The int8 arithmetic of the QDQ export: activations as unsigned 8-bit with a zero point, per
 * tensor (what ONNX Runtime's x86 int8 kernels take, u8 x s8), weights as signed 8-bit symmetric per
 * output channel, biases as int32 in the product of the input's and the weight's scales.
 */
final class Int8 {
    private Int8() {}

    /** An activation tensor's observed range, widened to hold zero so that zero is exact. */
    record Range(float min, float max) {
        Range {
            min = Math.min(min, 0f);
            max = Math.max(max, 0f);
        }

        float scale() {
            float s = (max - min) / 255f;
            return s > 0 && Float.isFinite(s) ? s : 1f;
        }

        byte zeroPoint() {
            return (byte) Math.max(0, Math.min(255, Math.round(-min / scale())));
        }

        Range union(Range other) {
            return new Range(Math.min(min, other.min), Math.max(max, other.max));
        }
    }

    /** Weights of {@code channels} rows quantized per row: their int8 values and one scale per row. */
    record Weights(byte[] values, float[] scales) {}

    static Weights weights(float[] w, int channels) {
        int per = w.length / channels;
        byte[] q = new byte[w.length];
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            float max = 0;
            for (int i = c * per; i < (c + 1) * per; i++) {
                max = Math.max(max, Math.abs(w[i]));
            }
            // Symmetric in [-127, 127]: -128 would make the range lopsided for no gain.
            float s = max > 0 ? max / 127f : 1f;
            scales[c] = s;
            for (int i = c * per; i < (c + 1) * per; i++) {
                q[i] = (byte) Math.max(-127, Math.min(127, Math.round(w[i] / s)));
            }
        }
        return new Weights(q, scales);
    }

    /** The bias in int32 steps of {@code inputScale * weightScale[c]}, and those steps. */
    static int[] bias(float[] b, float inputScale, float[] weightScales, float[] stepsOut) {
        int[] q = new int[weightScales.length];
        for (int c = 0; c < q.length; c++) {
            float step = inputScale * weightScales[c];
            stepsOut[c] = step;
            double v = b == null ? 0 : Math.rint(b[c] / (double) step);
            q[c] = (int) Math.max(Integer.MIN_VALUE + 1L, Math.min(Integer.MAX_VALUE, (long) v));
        }
        return q;
    }
}
