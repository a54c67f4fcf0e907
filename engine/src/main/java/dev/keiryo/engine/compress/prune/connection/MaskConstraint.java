package dev.keiryo.engine.compress.prune.connection;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.serde.jackson.shaded.NDArrayTextDeSerializer;
import org.nd4j.serde.jackson.shaded.NDArrayTextSerializer;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.databind.annotation.JsonDeserialize;
import org.nd4j.shade.jackson.databind.annotation.JsonSerialize;

/**
 * Keeps pruned connections at exactly zero while a network trains: DL4J applies layer constraints
 * after the updater and the listeners, so whatever Adam's moments or weight decay push into a
 * pruned weight is multiplied away before the next forward pass.
 *
 * <p>Implements {@link LayerConstraint} directly because DL4J's {@code BaseConstraint} applies
 * itself twice per step. The mask is part of the configuration JSON (DL4J's shaded Jackson), so it
 * survives {@code ModelSerializer} and ParallelWrapper, which builds its worker replicas from JSON.
 * One constraint covers one parameter ({@code "W"} or {@code "b"}) of one layer; the mask is
 * immutable, so clones share it.
 */
public final class MaskConstraint implements LayerConstraint {
    private static final long serialVersionUID = 1L;

    private String param;

    @JsonProperty("mask")
    @JsonSerialize(using = NDArrayTextSerializer.class)
    @JsonDeserialize(using = NDArrayTextDeSerializer.class)
    private INDArray mask;

    // The mask in the parameter's data type and ordering: JSON restores it as 'c' order, dense
    // weights are 'f', and a converted network may be in another precision.
    private transient volatile INDArray matched;

    @SuppressWarnings("unused")
    private MaskConstraint() {
        // for Jackson
    }

    public MaskConstraint(String param, INDArray mask) {
        this.param = Objects.requireNonNull(param, "param");
        this.mask = Objects.requireNonNull(mask, "mask");
    }

    /** The parameter this constraint masks, e.g. {@code "W"}. */
    public String param() {
        return param;
    }

    /** 1 = keep, 0 = pruned; same shape as the parameter. Do not modify. */
    public INDArray mask() {
        return mask;
    }

    @Override
    public void applyConstraint(Layer layer, int iteration, int epoch) {
        INDArray p = layer.getParam(param);
        if (p != null) {
            p.muli(matching(p));
        }
    }

    @SuppressWarnings("try") // the resource scopes a native setting; the body never names it
    INDArray matching(INDArray p) {
        INDArray m = matched;
        if (m != null && m.dataType() == p.dataType() && m.ordering() == p.ordering()) {
            return m;
        }
        if (!Arrays.equals(mask.shape(), p.shape())) {
            throw new IllegalStateException("the pruning mask of parameter " + param + " has shape "
                    + Arrays.toString(mask.shape()) + " but the parameter has " + Arrays.toString(p.shape())
                    + "; strip the masks (Masks.strip) before changing layer sizes.");
        }
        // Training may run inside a workspace; the cached copy must outlive it.
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            m = mask.dataType() == p.dataType() && mask.ordering() == p.ordering()
                    ? mask
                    : mask.castTo(p.dataType()).dup(p.ordering());
        }
        matched = m;
        return m;
    }

    @Override
    public void setParams(Set<String> params) {
        if (params == null || params.size() != 1) {
            throw new IllegalArgumentException("a mask constraint covers exactly one parameter, got " + params);
        }
        this.param = params.iterator().next();
    }

    @Override
    public Set<String> getParams() {
        return Set.of(param);
    }

    @Override
    public LayerConstraint clone() {
        return new MaskConstraint(param, mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaskConstraint c && param.equals(c.param) && mask.equals(c.mask);
    }

    @Override
    public int hashCode() {
        return Objects.hash(param, Arrays.hashCode(mask.shape()));
    }

    @Override
    public String toString() {
        return "MaskConstraint(" + param + ", " + Arrays.toString(mask.shape()) + ")";
    }
}
