package dev.keiryo.engine.compress.pack;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of tensor encodings: which class decodes which tag, and which encodings the writer
 * tries when it chooses by itself. A new encoding is registered here with one line.
 */
public final class Codecs {
    public static final TensorCodec DENSE_F32 = new DenseF32Codec();
    public static final TensorCodec DENSE_F16 = new DenseF16Codec();
    public static final TensorCodec SPARSE_BITMASK_F32 = new SparseBitmaskCodec();
    public static final TensorCodec SPARSE_RELATIVE_F32 = new SparseRelativeCodec(0);
    // Lossy encodings: their registry instances decode any file; writers configure their own.
    public static final TensorCodec QUANT_AFFINE = AffineCodec.affine(8, true, -1);
    public static final TensorCodec QUANT_BINARY = AffineCodec.binary(-1);
    public static final TensorCodec QUANT_TERNARY = AffineCodec.ternary(-1);
    public static final TensorCodec CODEBOOK = CodebookCodec.dense(5);
    public static final TensorCodec CODEBOOK_SPARSE = CodebookCodec.sparse(5, 0);
    public static final TensorCodec HUFFMAN = new HuffmanCodec(CODEBOOK_SPARSE);

    /** Every encoding a reader understands, by tag. */
    private static final Map<Integer, TensorCodec> BY_TAG = index(
            DENSE_F32,
            DENSE_F16,
            SPARSE_BITMASK_F32,
            SPARSE_RELATIVE_F32,
            QUANT_AFFINE,
            QUANT_BINARY,
            QUANT_TERNARY,
            CODEBOOK,
            CODEBOOK_SPARSE,
            HUFFMAN);

    /**
     * What "auto" tries, in order of preference on equal size. Only encodings that usually reproduce
     * values exactly belong here: the writer still keeps a candidate only if it was exact for the tensor.
     */
    private static final List<TensorCodec> AUTO =
            List.of(DENSE_F32, SPARSE_BITMASK_F32, SPARSE_RELATIVE_F32, DENSE_F16);

    private Codecs() {}

    /** The codec for a tag, or null when this Keiryo does not know it. */
    public static TensorCodec byTag(int tag) {
        return BY_TAG.get(tag);
    }

    static List<TensorCodec> autoCandidates() {
        return AUTO;
    }

    /** Element count of a shape; Java arrays cap a tensor at 2^31 - 1 elements. */
    static int count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new PackFormatException("negative dimension " + d);
            }
            n = Math.multiplyExact(n, d);
            if (n > Integer.MAX_VALUE - 8) {
                throw new PackFormatException("a tensor of more than 2^31 elements is not supported");
            }
        }
        return (int) n;
    }

    /** Decoders require the payload to be exactly as long as their layout says. */
    static void expectLength(ByteBuffer payload, long expected, String layout) {
        if (payload.remaining() != expected) {
            throw new PackFormatException(
                    layout + " payload should be " + expected + " bytes but is " + payload.remaining());
        }
    }

    private static Map<Integer, TensorCodec> index(TensorCodec... codecs) {
        Map<Integer, TensorCodec> m = new LinkedHashMap<>();
        for (TensorCodec c : codecs) {
            if (m.put(c.tag(), c) != null) {
                throw new IllegalStateException("two codecs share tag " + c.tag());
            }
        }
        return Map.copyOf(m);
    }
}
