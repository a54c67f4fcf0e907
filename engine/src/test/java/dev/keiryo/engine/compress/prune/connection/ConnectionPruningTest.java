package dev.keiryo.engine.compress.prune.connection;

import static dev.keiryo.engine.compress.prune.connection.Fixtures.zeros;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import dev.keiryo.engine.api.compress.PruneScope;
import dev.keiryo.engine.model.Layers;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Targets, thresholds, biases, monotonicity and the preview path of one-shot pruning. */
class ConnectionPruningTest {

    @Test
    void globalTargetIsMetWithinOneWeightWithOneCutoff() {
        ComputationGraph net = Fixtures.mlp();
        INDArray before = net.params().dup();
        ConnectionPlan plan = ConnectionPruning.plan(net, ConnectionPruneSpec.global(0.7));

        assertEquals(8 * 16 + 16 * 12 + 12 * 3, plan.size());
        assertEquals(Math.round(0.7 * plan.size()), plan.pruned());
        assertTrue(Math.abs(plan.sparsity() - 0.7) <= 1.0 / plan.size());
        assertEquals(
                List.of("dense1", "dense2", "output"),
                plan.masks().stream().map(LayerMask::layerName).toList());
        assertEquals(before, net.params(), "planning must not touch the network");
        for (LayerMask m : plan.masks()) {
            INDArray w = Layers.at(net, m.layer()).getParam(m.param());
            for (long i = 0; i < w.length(); i++) {
                double a = Math.abs(w.getDouble(i));
                if (m.mask().getDouble(i) == 0) {
                    assertTrue(a <= plan.threshold(), "pruned |w| " + a + " above the cut-off " + plan.threshold());
                } else {
                    assertTrue(a >= plan.threshold(), "kept |w| " + a + " below the cut-off " + plan.threshold());
                }
            }
        }
    }

    @Test
    void globalAndPerLayerTargetsDistributeDifferently() {
        ComputationGraph net = Fixtures.mlp();
        // Make every output weight larger than 1 so a global cut spares it and a per-layer cut does not.
        Transforms.abs(Layers.at(net, 2).getParam("W"), false).addi(1.0);
        ConnectionPlan global = ConnectionPruning.plan(net, ConnectionPruneSpec.global(0.5));
        ConnectionPlan perLayer = ConnectionPruning.plan(net, ConnectionPruneSpec.perLayer(0.5));

        assertEquals(0.0, global.layerSparsity().get("output"));
        assertTrue(Math.abs(global.sparsity() - 0.5) <= 1.0 / global.size());
        for (LayerMask m : perLayer.masks()) {
            assertTrue(Math.abs(m.sparsity() - 0.5) <= 1.0 / m.size(), m.layerName() + " at " + m.sparsity());
        }
        assertTrue(Double.isNaN(perLayer.threshold()));
    }

    @Test
    void perLayerMapOverridesTheDefaultTarget() {
        ComputationGraph net = Fixtures.mlp();
        ConnectionPruneSpec spec = ConnectionPruneSpec.perLayer(0.5).withLayerSparsity(Map.of("dense1", 0.9, "2", 0.0));
        Map<String, Double> s = ConnectionPruning.plan(net, spec).layerSparsity();

        assertEquals(Math.round(0.9 * 128) / 128.0, s.get("dense1"), 1e-12);
        assertEquals(Math.round(0.5 * 192) / 192.0, s.get("dense2"), 1e-12);
        assertEquals(0.0, s.get("output"));
    }

    @Test
    void tiedMagnitudesStillHitTheTarget() {
        ComputationGraph net = Fixtures.mlp();
        Layers.at(net, 0).getParam("W").assign(0.25);
        Layers.at(net, 1).getParam("W").assign(-0.25);
        ConnectionPlan plan =
                ConnectionPruning.plan(net, ConnectionPruneSpec.global(0.3).withExclude(List.of("output")));

        assertEquals(Math.round(0.3 * 320), plan.pruned());
    }

    @Test
    void thresholdPrunesExactlyTheWeightsBelowIt() {
        ComputationGraph net = Fixtures.mlp();
        double t = 0.2;
        ConnectionPlan plan = ConnectionPruning.plan(net, ConnectionPruneSpec.belowThreshold(t));
        long below = 0;
        for (LayerMask m : plan.masks()) {
            INDArray w = Layers.at(net, m.layer()).getParam("W");
            for (long i = 0; i < w.length(); i++) {
                boolean small = Math.abs(w.getDouble(i)) < t;
                below += small ? 1 : 0;
                assertEquals(small ? 0.0 : 1.0, m.mask().getDouble(i));
            }
        }
        assertTrue(below > 0 && below < plan.size(), "the threshold should split the weights");
        assertEquals(below, plan.pruned());
        assertEquals(t, plan.threshold());
    }

    @Test
    void biasesAreLeftAloneUnlessIncluded() {
        ComputationGraph net = Fixtures.mlp();
        // Biases start at zero; give them magnitudes like the weights' so pruning them would show.
        for (int i = 0; i < Layers.count(net); i++) {
            INDArray b = Layers.at(net, i).getParam("b");
            b.assign(Nd4j.linspace(-0.5, 0.5, b.length(), b.dataType()).reshape(b.shape()));
        }
        ConnectionPlan plan = ConnectionPruning.plan(net, ConnectionPruneSpec.global(0.6));
        assertTrue(plan.masks().stream().allMatch(m -> m.param().equals("W")));
        ComputationGraph pruned = ConnectionPruning.apply(net, plan);
        for (int i = 0; i < Layers.count(net); i++) {
            assertEquals(Layers.at(net, i).getParam("b"), Layers.at(pruned, i).getParam("b"));
        }

        ConnectionPlan withBiases =
                ConnectionPruning.plan(net, ConnectionPruneSpec.perLayer(0.6).withBiases(true));
        assertEquals(6, withBiases.masks().size());
        assertEquals(8 * 16 + 16 + 16 * 12 + 12 + 12 * 3 + 3, withBiases.size());
        ComputationGraph prunedBiases = ConnectionPruning.apply(net, withBiases);
        assertTrue(zeros(Layers.at(prunedBiases, 0).getParam("b")) > 0);
    }

    @Test
    void prunedWeightsStayPrunedWhenPruningFurther() {
        ComputationGraph net = Fixtures.mlp();
        ConnectionPlan half = ConnectionPruning.plan(net, ConnectionPruneSpec.global(0.5));
        ComputationGraph first = ConnectionPruning.apply(net, half);
        // Give the pruned weights of dense1 large values: the attached mask, not the magnitude, must decide.
        Layers.at(first, 0)
                .getParam("W")
                .addi(half.masks().get(0).mask().rsub(1.0).muli(5.0));
        ConnectionPlan more = ConnectionPruning.plan(first, ConnectionPruneSpec.global(0.8));
        ConnectionPlan less = ConnectionPruning.plan(first, ConnectionPruneSpec.global(0.3));

        assertTrue(Math.abs(more.sparsity() - 0.8) <= 1.0 / more.size());
        assertEquals(half.pruned(), less.pruned(), "a lower target cannot un-prune weights");
        for (int i = 0; i < half.masks().size(); i++) {
            INDArray m1 = half.masks().get(i).mask();
            for (ConnectionPlan later : List.of(more, less)) {
                INDArray m2 = later.masks().get(i).mask();
                for (long j = 0; j < m1.length(); j++) {
                    if (m1.getDouble(j) == 0) {
                        assertEquals(
                                0.0,
                                m2.getDouble(j),
                                "weight " + j + " of " + half.masks().get(i).key() + " came back");
                    }
                }
            }
        }
    }

    @Test
    void applyReturnsAPrunedCopyAndLeavesTheOriginal() {
        ComputationGraph net = Fixtures.smallLenet();
        INDArray before = net.params().dup();
        ConnectionPlan plan = ConnectionPruning.plan(net, ConnectionPruneSpec.global(0.6));
        assertEquals(
                List.of("conv1", "conv2", "dense1", "output"),
                plan.masks().stream().map(LayerMask::layerName).toList());

        ComputationGraph pruned = ConnectionPruning.apply(net, plan);

        assertEquals(before, net.params());
        assertTrue(Masks.of(net).isEmpty(), "the original must not get constraints");
        assertEquals(plan.sparsity(), ConnectionPruning.sparsityOf(pruned, plan), 0.0);
        assertEquals(plan.masks().size(), Masks.of(pruned).size());
    }

    @Test
    void applyInPlaceMatchesApplyAndResetsFromTheOriginal() {
        ComputationGraph net = Fixtures.smallLenet();
        INDArray original = net.params().dup();
        INDArray x = Fixtures.images(4, 3);
        ConnectionPlan plan = ConnectionPruning.plan(net, ConnectionPruneSpec.global(0.6));
        ComputationGraph pruned = ConnectionPruning.apply(net, plan);
        ComputationGraph scratch = net.clone();

        ConnectionPruning.applyInPlace(
                scratch, net.params(), ConnectionPruning.plan(net, ConnectionPruneSpec.global(0.9)));
        ConnectionPruning.applyInPlace(scratch, net.params(), plan);

        assertEquals(pruned.params(), scratch.params());
        assertEquals(pruned.outputSingle(x), scratch.outputSingle(x));
        assertNotEquals(net.outputSingle(x), scratch.outputSingle(x));
        assertEquals(original, net.params(), "the preview must not change the original");
        assertTrue(Masks.of(scratch).isEmpty());
    }

    @Test
    void aRankingPlansAnyTargetLikeAFreshPlan() {
        ComputationGraph net = Fixtures.smallLenet();
        ConnectionRanking ranking = ConnectionPruning.rank(net, ConnectionPruneSpec.global(0.5));
        for (double s : new double[] {0.0, 0.3, 0.9}) {
            ConnectionPlan fromRanking = ranking.plan(ConnectionPruneSpec.global(s));
            ConnectionPlan fresh = ConnectionPruning.plan(net, ConnectionPruneSpec.global(s));
            assertEquals(fresh.pruned(), fromRanking.pruned());
            assertEquals(fresh.threshold(), fromRanking.threshold(), 0.0);
            for (int i = 0; i < fresh.masks().size(); i++) {
                assertEquals(
                        fresh.masks().get(i).mask(), fromRanking.masks().get(i).mask());
            }
        }
        ConnectionPlan byThreshold =
                ranking.plan(new ConnectionPruneSpec(PruneScope.GLOBAL, null, 0.05, null, null, false, null));
        assertEquals(
                ConnectionPruning.plan(net, ConnectionPruneSpec.belowThreshold(0.05))
                        .pruned(),
                byThreshold.pruned());
        assertThrows(IllegalArgumentException.class, () -> ranking.plan(ConnectionPruneSpec.perLayer(0.5)));
    }
}
