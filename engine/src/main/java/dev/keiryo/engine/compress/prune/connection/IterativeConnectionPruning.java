package dev.keiryo.engine.compress.prune.connection;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import dev.keiryo.engine.api.run.CancellationToken;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Gradual magnitude pruning: {@code schedule.steps()} rounds of prune-then-fine-tune, each round
 * raising the sparsity along the AGP curve. Pruning a little at a time and letting the remaining
 * weights adapt loses much less accuracy than removing the same fraction at once. Masks only grow:
 * a weight pruned in one round stays pruned in every later one.
 *
 * <p>The spec's sparsity is the final target and must equal the schedule's final sparsity; layers
 * with their own sparsity in a per-layer spec follow the same curve towards their own target.
 */
public final class IterativeConnectionPruning {
    private final ConnectionPruneSpec spec;
    private final AgpSchedule schedule;

    public IterativeConnectionPruning(ConnectionPruneSpec spec, AgpSchedule schedule) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        requireSparsity(spec);
        if (Math.abs(spec.sparsity() - schedule.finalSparsity()) > 1e-9) {
            throw new KeiryoException(
                    "iterative pruning targets sparsity " + spec.sparsity() + " but its AGP schedule" + " ends at "
                            + schedule.finalSparsity() + "; make the schedule's final sparsity the spec's sparsity.");
        }
    }

    /** AGP from no sparsity to the spec's sparsity in {@code steps} rounds. */
    public static IterativeConnectionPruning agp(ConnectionPruneSpec spec, int steps) {
        requireSparsity(spec);
        return new IterativeConnectionPruning(spec, AgpSchedule.of(spec.sparsity(), steps));
    }

    public AgpSchedule schedule() {
        return schedule;
    }

    /** The spec of pruning step {@code k} (1..steps): the schedule's targets in place of the final ones. */
    public ConnectionPruneSpec specAt(int k) {
        if (k < 1 || k > schedule.steps()) {
            throw new IllegalArgumentException("step " + k + " is outside 1.." + schedule.steps());
        }
        long t = schedule.stepAt(k);
        Map<String, Double> own = new LinkedHashMap<>();
        spec.layerSparsity().forEach((layer, s) -> own.put(layer, schedule.sparsityAt(t, s)));
        return spec.withSparsity(schedule.sparsityAt(t)).withLayerSparsity(own);
    }

    /**
     * Prunes {@code net} step by step, calling {@code tuner} after each step and {@code listener} with
     * the step's result. {@code net} is not modified; returns the network after the last step, or
     * after the last finished one when {@code cancel} (may be null) was cancelled.
     */
    public ComputationGraph run(
            ComputationGraph net, FineTuner tuner, PruneStepListener listener, CancellationToken cancel) {
        FineTuner ft = tuner == null ? FineTuner.NONE : tuner;
        PruneStepListener l = listener == null ? PruneStepListener.NONE : listener;
        ComputationGraph current = net;
        for (int k = 1; k <= schedule.steps(); k++) {
            if (cancel != null && cancel.isCancelled()) {
                break;
            }
            ConnectionPruneSpec stepSpec = specAt(k);
            ConnectionPlan plan = ConnectionPruning.plan(current, stepSpec);
            ComputationGraph next = ConnectionPruning.apply(current, plan);
            ft.fineTune(next, k);
            current = next;
            l.onStep(new PruneStep(
                    k, schedule.steps(), stepSpec.sparsity(), plan, ConnectionPruning.sparsityOf(next, plan), next));
        }
        return current;
    }

    private static void requireSparsity(ConnectionPruneSpec spec) {
        if (!spec.bySparsity()) {
            throw new KeiryoException("iterative pruning needs a sparsity target, not a threshold (threshold "
                    + spec.threshold() + "); give the final sparsity, e.g. 0.9.");
        }
    }
}
