package dev.keiryo.engine.compress.pack;

/**
 * Chooses a codec for particular tensors, overriding {@link PackOptions#encoding()}: how quantized
 * tensors reach the file while biases and batch-norm parameters keep the exact encodings.
 */
@FunctionalInterface
public interface TensorPolicy {

    /**
     * The codec for parameter {@code key} of layer {@code layer}, or null for the usual choice.
     * The codec receives the values in row-major order of {@code shape} and is taken as it is
     * (quantized codecs are lossy by design; the report states the error).
     */
    TensorCodec codecFor(int layer, String key, long[] shape);

    /**
     * The codecs the writer may choose from for this tensor, whose values (row-major) are
     * {@code values}; the smallest payload wins; empty for the usual choice. All of them must
     * decode to the same values as {@link #codecFor}'s codec, so the choice changes the file's
     * size and never what the network computes.
     */
    default java.util.List<TensorCodec> candidatesFor(int layer, String key, long[] shape, float[] values) {
        TensorCodec c = codecFor(layer, key, shape);
        return c == null ? java.util.List.of() : java.util.List.of(c);
    }
}
