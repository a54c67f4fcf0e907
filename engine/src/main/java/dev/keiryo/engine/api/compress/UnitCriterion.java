package dev.keiryo.engine.api.compress;

/**
 * How a unit's importance is judged: a dense layer's unit is one column of {@code W [nIn, nOut]}, a
 * convolution layer's unit is one filter {@code W[nOut, nIn, kH, kW]} (an output channel).
 *
 * <p>The activation criteria look at the activation that decides whether the next layer sees
 * anything. When the layer itself has the identity activation (LeNet-5's convolutions) that is the
 * first {@code ActivationLayer} with a non-identity activation before the next layer with weights
 * (pooling, dropout and batch norm may sit in between), because that is where a channel becomes
 * zero. A batch norm's own activation is not used because DL4J never applies it. When no such
 * activation exists, zeros are meaningless (an identity output is almost never exactly 0), so both
 * activation criteria fall back to the mean absolute activation: a channel that is small everywhere
 * contributes little. the scores say which one was used.
 */
public enum UnitCriterion {
    /** Sum of |w| over the unit's incoming weights (bias excluded): small filters matter little. */
    L1(false),
    /** Euclidean norm of the unit's incoming weights (bias excluded). */
    L2(false),
    /** Mean |activation| over examples (and positions, for convolutions) of a data iterator. */
    MEAN_ACTIVATION(true),
    /** Average percentage of zeros after the activation (Hu et al. 2016): mostly-zero units matter little. */
    APOZ(true);

    private final boolean needsData;

    UnitCriterion(boolean needsData) {
        this.needsData = needsData;
    }

    /** Whether scoring runs the network on data (the activation criteria) rather than reading weights. */
    public boolean needsData() {
        return needsData;
    }
}
