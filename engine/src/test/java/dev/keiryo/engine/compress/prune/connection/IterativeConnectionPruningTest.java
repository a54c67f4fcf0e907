package dev.keiryo.engine.compress.prune.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import dev.keiryo.engine.api.run.CancellationToken;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class IterativeConnectionPruningTest {

    private static FineTuner fitting(int iterations, List<Integer> calls) {
        DataSet batch = Fixtures.batch(64, 4);
        return (net, step) -> {
            calls.add(step);
            for (int i = 0; i < iterations; i++) {
                net.fit(batch);
            }
        };
    }

    @Test
    void followsTheScheduleAndOnlyEverAddsPrunedWeights() {
        ComputationGraph net = Fixtures.mlp();
        INDArray original = net.params().dup();
        IterativeConnectionPruning pruning = IterativeConnectionPruning.agp(ConnectionPruneSpec.global(0.8), 3);
        List<PruneStep> steps = new ArrayList<>();
        List<Integer> tuned = new ArrayList<>();

        ComputationGraph result = pruning.run(net, fitting(5, tuned), steps::add, null);

        assertEquals(List.of(1, 2, 3), tuned);
        assertEquals(3, steps.size());
        assertSame(result, steps.get(2).net());
        List<Double> targets = pruning.schedule().targets();
        for (int k = 0; k < 3; k++) {
            PruneStep s = steps.get(k);
            assertEquals(k + 1, s.step());
            assertEquals(targets.get(k), s.targetSparsity(), 1e-12);
            assertTrue(Math.abs(s.plan().sparsity() - s.targetSparsity())
                    <= 1.0 / s.plan().size());
            assertEquals(s.plan().sparsity(), s.sparsity(), 0.0, "fine-tuning must not revive weights");
            if (k > 0) {
                assertSupersetOf(steps.get(k - 1).plan(), s.plan());
            }
        }
        assertTrue(Math.abs(ConnectionPruning.sparsityOf(result, steps.get(2).plan()) - 0.8) <= 1.0 / 356);
        assertEquals(original, net.params());
        assertTrue(Masks.of(net).isEmpty());
    }

    private static void assertSupersetOf(ConnectionPlan earlier, ConnectionPlan later) {
        for (int i = 0; i < earlier.masks().size(); i++) {
            INDArray a = earlier.masks().get(i).mask();
            INDArray b = later.masks().get(i).mask();
            // a pruned (0) position in `a` must be 0 in `b`: b <= a everywhere
            assertEquals(0.0, b.sub(a).maxNumber().doubleValue(), 0.0);
        }
    }

    @Test
    void layersWithTheirOwnTargetReachIt() {
        ConnectionPruneSpec spec = ConnectionPruneSpec.perLayer(0.6).withLayerSparsity(Map.of("dense1", 0.9));
        IterativeConnectionPruning pruning = IterativeConnectionPruning.agp(spec, 2);
        List<PruneStep> steps = new ArrayList<>();

        pruning.run(Fixtures.mlp(), FineTuner.NONE, steps::add, null);

        Map<String, Double> last = steps.get(1).plan().layerSparsity();
        assertEquals(Math.round(0.9 * 128) / 128.0, last.get("dense1"), 1e-12);
        assertEquals(Math.round(0.6 * 192) / 192.0, last.get("dense2"), 1e-12);
        assertTrue(steps.get(0).plan().layerSparsity().get("dense1") < 0.9);
    }

    @Test
    void cancellingStopsAfterTheCurrentStep() {
        CancellationToken cancel = new CancellationToken();
        List<PruneStep> steps = new ArrayList<>();
        ComputationGraph result = IterativeConnectionPruning.agp(ConnectionPruneSpec.global(0.5), 4)
                .run(
                        Fixtures.mlp(),
                        FineTuner.NONE,
                        s -> {
                            steps.add(s);
                            cancel.cancel();
                        },
                        cancel);

        assertEquals(1, steps.size());
        assertSame(steps.get(0).net(), result);
    }

    @Test
    void mismatchedSettingsAreRejected() {
        KeiryoException e = assertThrows(
                KeiryoException.class,
                () -> new IterativeConnectionPruning(ConnectionPruneSpec.global(0.8), AgpSchedule.of(0.9, 3)));
        assertTrue(e.getMessage().contains("0.8") && e.getMessage().contains("0.9"), e.getMessage());
        assertThrows(
                KeiryoException.class,
                () -> IterativeConnectionPruning.agp(ConnectionPruneSpec.belowThreshold(0.1), 3));
    }
}
