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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
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
     *
     * @throws KeiryoException if the spec asks for per-channel scales on a tensor without channels
     */
    public static MultiLayerNetwork quantize(MultiLayerNetwork net, QuantSpec spec) {
        Objects.requireNonNull(net, "net");
        TensorPolicy policy = policy(spec);
        check(net, policy);
        MultiLayerNetwork q = net.clone();
        for (int i = 0; i < q.getnLayers(); i++) {
            for (Map.Entry<String, INDArray> e : q.getLayer(i).paramTable().entrySet()) {
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

    /** The per-tensor codec choice for {@code spec}; null for tensors it leaves alone. */
    public static TensorPolicy policy(QuantSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return (layer, key, shape) -> {
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
                case CODEBOOK ->
                    spec.sparse() ? CodebookCodec.sparse(spec.bits(), 0) : CodebookCodec.dense(spec.bits());
            };
            return spec.huffman() ? new HuffmanCodec(c) : c;
        };
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
    public static void check(MultiLayerNetwork net, QuantSpec spec) {
        check(net, policy(spec));
    }

    private static void check(MultiLayerNetwork net, TensorPolicy policy) {
        for (int i = 0; i < net.getnLayers(); i++) {
            for (Map.Entry<String, INDArray> e : net.getLayer(i).paramTable().entrySet()) {
                policy.codecFor(i, e.getKey(), e.getValue().shape());
            }
        }
    }
}
