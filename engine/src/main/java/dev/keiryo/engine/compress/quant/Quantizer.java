package dev.keiryo.engine.compress.quant;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.QuantSpec;
import dev.keiryo.engine.compress.pack.AffineCodec;
import dev.keiryo.engine.compress.pack.CodebookCodec;
import dev.keiryo.engine.compress.pack.DenseF16Codec;
import dev.keiryo.engine.compress.pack.HuffmanCodec;
import dev.keiryo.engine.compress.pack.PackOptions;
import dev.keiryo.engine.compress.pack.TensorCodec;
import dev.keiryo.engine.compress.pack.TensorPolicy;
import dev.keiryo.engine.model.BatchNormFolding;
import dev.keiryo.engine.model.Layers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Post-training quantization. The quantizer is the packed codec itself: {@link #quantize} encodes
 * and decodes each tensor with the codec {@link #packOptions} makes the writer use, so the network
 * it returns computes exactly what the packed file will compute after reading.
 */
public final class Quantizer {
    private Quantizer() {}

    /**
     * A new network whose selected parameters hold their dequantized values; {@code net} is untouched.
     * Batch norm is folded into the layers in front of it first (see {@link BatchNormFolding}), so
     * the weights that are quantized are the ones inference multiplies by.
     *
     * @throws KeiryoException if the spec asks for per-channel scales on a tensor without channels
     */
    public static ComputationGraph quantize(ComputationGraph net, QuantSpec spec) {
        Objects.requireNonNull(net, "net");
        TensorPolicy policy = policy(spec);
        ComputationGraph q = BatchNormFolding.fold(net);
        check(q, spec, policy);
        for (int i = 0; i < Layers.count(q); i++) {
            for (Map.Entry<String, INDArray> e : Layers.at(q, i).paramTable().entrySet()) {
                INDArray p = e.getValue();
                TensorCodec c = policy.codecFor(i, e.getKey(), p.shape());
                if (c != null) {
                    p.assign(roundTrip(c, p));
                }
            }
        }
        return q;
    }

    /** {@code p} encoded and decoded by {@code codec}: the values the packed file will hold, in p's data type. */
    static INDArray roundTrip(TensorCodec codec, INDArray p) {
        float[] v = Nd4j.toFlattened('c', p)
                .castTo(DataType.FLOAT)
                .reshape(p.length())
                .toFloatVector();
        float[] d = codec.decode(ByteBuffer.wrap(codec.encode(v, p.shape())).order(ByteOrder.LITTLE_ENDIAN), p.shape());
        return Nd4j.create(d, p.shape(), 'c').castTo(p.dataType());
    }

    /**
     * {@code base} with the spec's codecs for the selected tensors. Write the float network with
     * these options: the file then decodes to {@link #quantize}'s values (symmetric affine codes
     * also survive being quantized twice; codebooks are re-clustered, so pass the float network).
     */
    public static PackOptions packOptions(PackOptions base, QuantSpec spec) {
        return base.withPolicy(policy(spec));
    }

    /**
     * The per-tensor codec choice for {@code spec}; null for tensors it leaves alone. With
     * {@code sparse} (the default) the writer may also entropy-code the affine, binary and ternary
     * codes (up to 8 bits) of a pruned tensor and keeps whichever payload is smaller: its many zero
     * codes then cost about a bit each instead of N. Unpruned tensors are stored as before, so
     * their files keep their size. Decoding gives the same values either way.
     */
    public static TensorPolicy policy(QuantSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return new TensorPolicy() {
            @Override
            public TensorCodec codecFor(int layer, String key, long[] shape) {
                return codec(spec, layer, key, shape);
            }

            @Override
            public List<TensorCodec> candidatesFor(int layer, String key, long[] shape, float[] values) {
                TensorCodec c = codec(spec, layer, key, shape);
                if (c == null) {
                    return List.of();
                }
                // Sparse codebooks already leave the zeros out; Huffman on top is the user's choice.
                boolean entropy = spec.sparse()
                        && !spec.huffman()
                        && spec.mode() != QuantSpec.Mode.HALF
                        && spec.mode() != QuantSpec.Mode.CODEBOOK
                        && spec.bits() <= 8
                        && pruned(values);
                return entropy ? List.of(c, new HuffmanCodec(c)) : List.of(c);
            }
        };
    }

    /** At least a quarter of the values exactly zero: what pruning leaves, and trained weights never have. */
    private static boolean pruned(float[] values) {
        int zeros = 0;
        for (float v : values) {
            if (v == 0f) {
                zeros++;
            }
        }
        return zeros >= values.length / 4 && zeros > 0;
    }

    private static TensorCodec codec(QuantSpec spec, int layer, String key, long[] shape) {
        if (!spec.params().contains(key)) {
            return null;
        }
        int axis = spec.perChannel() ? channelAxis(key, shape) : -1;
        if (spec.perChannel() && axis < 0) {
            throw new KeiryoException("per-channel quantization needs output channels, but parameter " + layer + "_"
                    + key + " has none; quantize it per tensor or leave it out.");
        }
        TensorCodec c = switch (spec.mode()) {
            case AFFINE -> AffineCodec.affine(spec.bits(), spec.symmetric(), axis);
            case BINARY -> AffineCodec.binary(axis);
            case TERNARY -> AffineCodec.ternary(axis);
            case HALF -> new DenseF16Codec();
            case CODEBOOK -> spec.sparse() ? CodebookCodec.sparse(spec.bits(), 0) : CodebookCodec.dense(spec.bits());
        };
        return spec.huffman() ? new HuffmanCodec(c) : c;
    }

    /**
     * The output-channel axis of a weight tensor in DL4J's shapes: dense W is [nIn, nOut] (axis 1),
     * convolution W is [nOut, nIn, kH, kW] (axis 0); biases ([1, nOut]) and batch-norm vectors
     * have one value per channel already, so they have no channel axis to scale along; -1 then.
     */
    public static int channelAxis(String key, long[] shape) {
        if (!"W".equals(key)) {
            return -1;
        }
        return shape.length == 2 ? 1 : shape.length >= 3 && shape.length <= 5 ? 0 : -1;
    }

    /** Fails with one sentence, naming the tensor, when a parameter of {@code net} cannot take {@code spec}. */
    public static void check(ComputationGraph net, QuantSpec spec) {
        check(net, spec, policy(spec));
    }

    private static void check(ComputationGraph net, QuantSpec spec, TensorPolicy policy) {
        List<String> names = Layers.names(net);
        for (int i = 0; i < names.size(); i++) {
            for (Map.Entry<String, INDArray> e :
                    net.getLayer(names.get(i)).paramTable().entrySet()) {
                if (spec.params().contains(e.getKey())
                        && spec.perChannel()
                        && channelAxis(e.getKey(), e.getValue().shape()) < 0) {
                    throw new KeiryoException("per-channel quantization needs output channels, but parameter "
                            + names.get(i) + "_" + e.getKey() + " has none; quantize it per tensor or leave it out.");
                }
                policy.codecFor(i, e.getKey(), e.getValue().shape());
            }
        }
    }
}
