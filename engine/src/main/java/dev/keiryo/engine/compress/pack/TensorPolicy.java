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
}
