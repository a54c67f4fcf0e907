package dev.keiryo.engine.compress.quant;

import dev.keiryo.engine.api.compress.QuantSpec;
import dev.keiryo.engine.compress.pack.TensorCodec;
import dev.keiryo.engine.compress.pack.TensorPolicy;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Quantization-aware training through DL4J's weight-noise hook: {@code BaseLayer} asks this for the
 * weights it uses in the forward pass and reuses the same array in backprop, then the updater
 * applies the gradient to the float weights. That is the straight-through estimator: forward with
 * quantized values, gradient as if quantization were the identity.
 *
 * <p>Each call runs the tensor through the very codec the packed file will use, so a network
 * trained with this noise and then quantized computes exactly what it computed while training.
 * Plain fields, a no-argument constructor: DL4J serializes the noise into the configuration JSON
 * (checkpoints, clones, ParallelWrapper replicas).
 */
public final class QuantNoise implements IWeightNoise {
    private static final long serialVersionUID = 1L;

    @JsonProperty
    private String mode;

    @JsonProperty
    private int bits;

    @JsonProperty
    private boolean symmetric;

    @JsonProperty
    private boolean perChannel;

    @JsonProperty
    private List<String> params;

    private transient volatile TensorPolicy policy;

    @SuppressWarnings("unused")
    private QuantNoise() {
        // for Jackson
    }

    public QuantNoise(QuantSpec spec) {
        if (spec.mode() == QuantSpec.Mode.CODEBOOK) {
            throw new IllegalArgumentException(
                    "codebook weights cannot be trained with the straight-through estimator");
        }
        this.mode = spec.mode().name();
        this.bits = spec.bits();
        this.symmetric = spec.symmetric();
        this.perChannel = spec.perChannel();
        this.params = List.copyOf(spec.params());
    }

    public QuantSpec spec() {
        return new QuantSpec(
                QuantSpec.Mode.valueOf(mode), bits, symmetric, perChannel, Set.copyOf(params), false, false);
    }

    @Override
    public INDArray getParameter(
            Layer layer, String paramKey, int iteration, int epoch, boolean train, LayerWorkspaceMgr workspaceMgr) {
        INDArray p = layer.getParam(paramKey);
        TensorCodec codec = policy().codecFor(layer.getIndex(), paramKey, p.shape());
        return codec == null ? p : Quantizer.roundTrip(codec, p);
    }

    private TensorPolicy policy() {
        TensorPolicy p = policy;
        if (p == null) {
            p = Quantizer.policy(spec());
            policy = p;
        }
        return p;
    }

    @Override
    public IWeightNoise clone() {
        return new QuantNoise(spec());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuantNoise q && q.spec().equals(spec());
    }

    @Override
    public int hashCode() {
        return spec().hashCode();
    }
}
