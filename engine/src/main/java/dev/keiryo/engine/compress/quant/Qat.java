package dev.keiryo.engine.compress.quant;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.QuantSpec;
import dev.keiryo.engine.model.Layers;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Switches quantization-aware training on and off for a network: while on, every layer with
 * weights computes with their quantized values ({@link QuantNoise}); off again, the float weights
 * the training produced are what {@link Quantizer#quantize} turns into the final codes.
 */
public final class Qat {
    private Qat() {}

    /** Fails with one sentence when a spec cannot be trained through the straight-through estimator. */
    public static void check(QuantSpec spec) {
        if (spec.mode() == QuantSpec.Mode.HALF) {
            throw new KeiryoException("half-precision storage loses too little to need quantization-aware training; "
                    + "quantize with --mode half directly.");
        }
        if (spec.mode() == QuantSpec.Mode.CODEBOOK) {
            throw new KeiryoException(
                    "quantization-aware training supports affine, binary and ternary weights, not codebooks "
                            + "(Deep Compression fine-tunes shared centroids instead); quantize with a codebook after training, "
                            + "or choose --mode affine.");
        }
    }

    /** Attaches the quantizer to every layer with weights, in place; returns {@code net}. */
    public static ComputationGraph attach(ComputationGraph net, QuantSpec spec) {
        check(spec);
        Quantizer.check(net, spec);
        QuantNoise noise = new QuantNoise(spec);
        for (int i = 0; i < Layers.count(net); i++) {
            if (Layers.at(net, i).conf().getLayer() instanceof BaseLayer b) {
                b.setWeightNoise(noise);
            }
        }
        return net;
    }

    /** Removes the quantizer again, in place; the float weights stay as training left them. */
    public static ComputationGraph detach(ComputationGraph net) {
        for (int i = 0; i < Layers.count(net); i++) {
            if (Layers.at(net, i).conf().getLayer() instanceof BaseLayer b
                    && b.getWeightNoise() instanceof QuantNoise) {
                b.setWeightNoise(null);
            }
        }
        return net;
    }

    public static boolean attached(ComputationGraph net) {
        for (int i = 0; i < Layers.count(net); i++) {
            if (Layers.at(net, i).conf().getLayer() instanceof BaseLayer b
                    && b.getWeightNoise() instanceof QuantNoise) {
                return true;
            }
        }
        return false;
    }
}
