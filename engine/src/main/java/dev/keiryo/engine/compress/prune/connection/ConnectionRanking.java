package dev.keiryo.engine.compress.prune.connection;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import dev.keiryo.engine.api.compress.PruneScope;
import dev.keiryo.engine.model.Layers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The magnitude order of a network's prunable weights, taken once: plans for any target (a
 * sparsity slider, a sweep, AGP steps) then cost one pass over the weights instead of a sort.
 * A snapshot: it does not see later changes to the network's weights or masks. Plans from it may
 * change targets only; scope, layers, exclusions and biases must be those it was made with.
 */
public final class ConnectionRanking {
    private final ConnectionPruneSpec basis;
    private final PruneTargets.Layers layers;
    private final List<PruneTargets.Target> targets;
    private final List<Group> groups;

    /** Parameters ranked together, in mask order. */
    private record Group(List<Slot> slots, RankedGroup ranked) {}

    /** One parameter's place in a group: whose it is and how its mask is shaped. */
    private record Slot(PruneTargets.Target owner, String param, long[] shape, DataType type, char order) {}

    private ConnectionRanking(
            ConnectionPruneSpec basis,
            PruneTargets.Layers layers,
            List<PruneTargets.Target> targets,
            List<Group> groups) {
        this.basis = basis;
        this.layers = layers;
        this.targets = targets;
        this.groups = groups;
    }

    @SuppressWarnings("try") // the resource scopes a native setting; the body never names it
    static ConnectionRanking of(ComputationGraph net, ConnectionPruneSpec spec) {
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(spec, "spec");
        PruneTargets.Layers layers = PruneTargets.Layers.of(net);
        List<PruneTargets.Target> targets = PruneTargets.resolve(layers, spec);
        List<Group> groups = new ArrayList<>();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (spec.scope() == PruneScope.GLOBAL) {
                groups.add(group(net, targets));
            } else {
                for (PruneTargets.Target t : targets) {
                    groups.add(group(net, List.of(t)));
                }
            }
        }
        return new ConnectionRanking(spec, layers, targets, List.copyOf(groups));
    }

    /** A plan for {@code spec}, which may differ from the ranking's spec in its targets only. */
    @SuppressWarnings("try") // the resource scopes a native setting; the body never names it
    public ConnectionPlan plan(ConnectionPruneSpec spec) {
        if (spec.scope() != basis.scope()
                || !spec.layers().equals(basis.layers())
                || !spec.exclude().equals(basis.exclude())
                || spec.includeBiases() != basis.includeBiases()) {
            throw new IllegalArgumentException("this ranking was made for " + basis + "; rank again for " + spec);
        }
        Map<Integer, Double> own = PruneTargets.layerSparsity(
                layers,
                spec,
                new HashSet<>(targets.stream().map(PruneTargets.Target::layer).toList()));
        List<LayerMask> masks = new ArrayList<>();
        double cutoff = spec.bySparsity() ? Double.NaN : spec.threshold();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            for (Group g : groups) {
                int count;
                if (spec.bySparsity()) {
                    double s = spec.scope() == PruneScope.PER_LAYER
                            ? own.getOrDefault(g.slots().get(0).owner().layer(), spec.sparsity())
                            : spec.sparsity();
                    count = g.ranked().countForSparsity(s);
                    if (spec.scope() == PruneScope.GLOBAL) {
                        cutoff = g.ranked().cutoff(count);
                    }
                } else {
                    count = g.ranked().countBelow(spec.threshold());
                }
                RankedGroup.Selection sel = g.ranked().select(count);
                for (int a = 0; a < g.slots().size(); a++) {
                    masks.add(mask(g.slots().get(a), sel.keep()[a], sel.pruned()[a]));
                }
            }
        }
        return new ConnectionPlan(spec, masks, cutoff);
    }

    private static LayerMask mask(Slot slot, float[] keep, long pruned) {
        INDArray m = Nd4j.create(keep, slot.shape(), 'c').castTo(slot.type());
        if (slot.order() != 'c') {
            m = m.dup(slot.order());
        }
        return new LayerMask(slot.owner().layer(), slot.owner().name(), slot.param(), m, m.length(), pruned);
    }

    private static Group group(ComputationGraph net, List<PruneTargets.Target> owners) {
        List<Slot> slots = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        List<float[]> existing = new ArrayList<>();
        for (PruneTargets.Target t : owners) {
            for (String param : t.params()) {
                INDArray p = Layers.at(net, t.layer()).getParam(param);
                INDArray old = Masks.existing(net, t.layer(), param);
                if (old != null && !Arrays.equals(old.shape(), p.shape())) {
                    throw new KeiryoException("layer " + t.name() + " carries a pruning mask of shape "
                            + Arrays.toString(old.shape()) + " for " + param + " of shape " + Arrays.toString(p.shape())
                            + "; strip its masks (Masks.strip) before pruning again.");
                }
                // Only shape, type and ordering: the ranking must not hold on to the network's arrays.
                slots.add(new Slot(t, param, p.shape(), p.dataType(), p.ordering()));
                values.add(floats(p));
                existing.add(old == null ? null : floats(old));
            }
        }
        return new Group(List.copyOf(slots), RankedGroup.of(values, existing));
    }

    private static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }
}
