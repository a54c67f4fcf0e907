package dev.keiryo.engine.api.compress;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.QuantizationSettings;
import java.util.Objects;
import java.util.Set;

/**
 * What post-training quantization does to a network.
 *
 * @param mode the quantizer
 * @param bits code width: 1..16 for affine (2..16 when symmetric), 1 binary, 2 ternary, 1..8 codebook, 16 half
 * @param symmetric affine only: codes centred on zero (no zero points) instead of covering [min, max]
 * @param perChannel one scale per output channel (axis 1 of dense W [nIn, nOut], axis 0 of conv W
 *     [nOut, nIn, kH, kW]); rejected for tensors without channels
 * @param params parameter keys to quantize; {@code W} by default, since biases and batch-norm
 *     parameters are few and sensitive, so they stay float32
 * @param sparse keep zeros cheap (pruned networks): codebooks keep zeros as zeros and cluster the
 *     non-zeros; affine, binary and ternary codes of up to 8 bits are entropy-coded where that makes the packed file smaller
 * @param huffman entropy-code the codes (and sparse gaps) with canonical Huffman
 */
public record QuantSpec(
        Mode mode,
        int bits,
        boolean symmetric,
        boolean perChannel,
        Set<String> params,
        boolean sparse,
        boolean huffman) {

    /** HALF stores IEEE binary16 values: a storage format, computed in float32 after loading. */
    public enum Mode {
        AFFINE,
        BINARY,
        TERNARY,
        CODEBOOK,
        HALF
    }

    public QuantSpec {
        Objects.requireNonNull(mode, "mode");
        params = Set.copyOf(Objects.requireNonNull(params, "params"));
        QuantizationSettings.BITS.require(bits, "bits");
        switch (mode) {
            case AFFINE -> {
                String bad = QuantizationSettings.bitsProblem("affine", bits, symmetric);
                require(bad == null, "bits " + bad + ".");
            }
            case BINARY -> require(bits == 1, "binary quantization uses 1 bit (was " + bits + ").");
            case TERNARY -> require(bits == 2, "ternary quantization uses 2 bits (was " + bits + ").");
            case HALF -> {
                require(bits == 16, "half-precision storage uses 16 bits (was " + bits + ").");
                require(!perChannel, "half-precision values need no scales, so per-channel does not apply.");
            }
            case CODEBOOK -> {
                String bad = QuantizationSettings.bitsProblem("codebook", bits, symmetric);
                require(bad == null, "bits " + bad + ".");
                require(
                        !perChannel,
                        "codebook quantization shares one codebook per tensor; per-channel is not supported.");
            }
        }
        require(
                !sparse || mode != Mode.HALF,
                "half-precision values have no codes to keep zeros cheap in; drop sparse.");
        require(!params.isEmpty(), "choose at least one parameter to quantize.");
    }

    private static void require(boolean ok, String sentence) {
        if (!ok) {
            throw new KeiryoException(sentence);
        }
    }

    /** Symmetric per-tensor N-bit codes of the weights. */
    public static QuantSpec affine(int bits) {
        return new QuantSpec(Mode.AFFINE, bits, true, false, Set.of("W"), false, false);
    }

    public static QuantSpec binary() {
        return new QuantSpec(Mode.BINARY, 1, false, false, Set.of("W"), false, false);
    }

    public static QuantSpec ternary() {
        return new QuantSpec(Mode.TERNARY, 2, true, false, Set.of("W"), false, false);
    }

    /** Weights stored as 16-bit floats. */
    public static QuantSpec half() {
        return new QuantSpec(Mode.HALF, 16, false, false, Set.of("W"), false, false);
    }

    /** 2^bits shared weights per tensor (Deep Compression). */
    public static QuantSpec codebook(int bits) {
        return new QuantSpec(Mode.CODEBOOK, bits, false, false, Set.of("W"), false, false);
    }

    public QuantSpec withSymmetric(boolean s) {
        return new QuantSpec(mode, bits, s, perChannel, params, sparse, huffman);
    }

    public QuantSpec withPerChannel(boolean p) {
        return new QuantSpec(mode, bits, symmetric, p, params, sparse, huffman);
    }

    public QuantSpec withParams(Set<String> p) {
        return new QuantSpec(mode, bits, symmetric, perChannel, p, sparse, huffman);
    }

    public QuantSpec withSparse(boolean s) {
        return new QuantSpec(mode, bits, symmetric, perChannel, params, s, huffman);
    }

    public QuantSpec withHuffman(boolean h) {
        return new QuantSpec(mode, bits, symmetric, perChannel, params, sparse, h);
    }
}
