package dev.keiryo.engine.compress.prune.connection;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import dev.keiryo.engine.model.Layers;
import java.util.Arrays;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Unstructured magnitude pruning of a {@link ComputationGraph}: plan the masks, then apply them to
 * a copy that keeps pruned weights at zero while it is fine-tuned, or preview them on a scratch
 * network. Call these while the network is not training: parameters are read without a lock.
 */
public final class ConnectionPruning {
    private ConnectionPruning() {}

    /** The masks {@code spec} gives for {@code net}; the network is not modified. */
    public static ConnectionPlan plan(ComputationGraph net, ConnectionPruneSpec spec) {
        return rank(net, spec).plan(spec);
    }

    /**
     * Ranks {@code net}'s weights for {@code spec}'s scope, layers and biases, so that plans for many
     * targets (a slider, a sweep) are quick; the network is not modified.
     */
    public static ConnectionRanking rank(ComputationGraph net, ConnectionPruneSpec spec) {
        return ConnectionRanking.of(net, spec);
    }

    /**
     * A new network (a clone of {@code net}, updater state included) with the plan's weights set to
     * zero and a {@link MaskConstraint} on each pruned parameter, so they stay zero while it trains.
     * {@code net} itself is not modified.
     */
    @SuppressWarnings("try") // the resource scopes a native setting; the body never names it
    public static ComputationGraph apply(ComputationGraph net, ConnectionPlan plan) {
        checkFits(net, plan);
        ComputationGraph out = net.clone();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            for (LayerMask m : plan.masks()) {
                INDArray mask = m.mask().dup(m.mask().ordering());
                MaskConstraint c = new MaskConstraint(m.param(), mask);
                INDArray p = Layers.at(out, m.layer()).getParam(m.param());
                p.muli(c.matching(p));
                Masks.attach(out, m.layer(), c);
            }
        }
        return out;
    }

    /**
     * Preview without allocation: copies {@code originalParams} (the unpruned flat parameters, e.g.
     * {@code original.params()}) into {@code scratch} and zeroes the plan's pruned weights. Attaches
     * no constraints; {@code scratch} must have the architecture the plan was made for.
     */
    public static void applyInPlace(ComputationGraph scratch, INDArray originalParams, ConnectionPlan plan) {
        // output() is synchronized on the network: this keeps a concurrent preview from reading half-reset weights.
        synchronized (scratch) {
            INDArray flat = scratch.params();
            if (flat.length() != originalParams.length()) {
                throw new IllegalArgumentException(
                        "scratch network has " + flat.length() + " parameters but the original" + " parameters have "
                                + originalParams.length() + "; use a clone of the original network as scratch");
            }
            flat.assign(originalParams);
            for (LayerMask m : plan.masks()) {
                INDArray p = Layers.at(scratch, m.layer()).getParam(m.param());
                if (p == null || !Arrays.equals(p.shape(), m.mask().shape())) {
                    throw new IllegalArgumentException("the plan's mask for " + m.key() + " does not fit the scratch"
                            + " network; plan and scratch must come from the same architecture");
                }
                p.muli(m.mask().dataType() == p.dataType() ? m.mask() : m.mask().castTo(p.dataType()));
            }
        }
    }

    /**
     * The fraction of zeros now in the parameters the plan covers: equal to the plan's sparsity
     * right after {@link #apply}, and after fine-tuning as long as the masks hold.
     */
    public static double sparsityOf(ComputationGraph net, ConnectionPlan plan) {
        checkFits(net, plan);
        long zeros = 0;
        long n = 0;
        for (LayerMask m : plan.masks()) {
            INDArray p = Layers.at(net, m.layer()).getParam(m.param());
            zeros += p.scan(Conditions.equals(0.0)).longValue();
            n += p.length();
        }
        return n == 0 ? 0 : (double) zeros / n;
    }

    private static void checkFits(ComputationGraph net, ConnectionPlan plan) {
        for (LayerMask m : plan.masks()) {
            INDArray p =
                    m.layer() < Layers.count(net) ? Layers.at(net, m.layer()).getParam(m.param()) : null;
            if (p == null || !Arrays.equals(p.shape(), m.mask().shape())) {
                throw new KeiryoException("the pruning plan does not fit this network (layer " + m.layerName() + ", "
                        + m.param() + "); make the plan from the network you prune.");
            }
        }
    }
}
