package dev.keiryo.engine.compress.prune.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import dev.keiryo.engine.model.Layers;
import java.time.Duration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ParallelWrapper builds its worker replicas from the configuration JSON; averaging a replica whose
 * mask was lost would bring pruned weights back into the trained network.
 */
class ParallelWrapperMaskTest {

    @Test
    void twoWorkerFitKeepsTheSparsity() {
        ComputationGraph net = Fixtures.mlp();
        ConnectionPlan plan = ConnectionPruning.plan(net, ConnectionPruneSpec.global(0.6));
        ComputationGraph pruned = ConnectionPruning.apply(net, plan);
        INDArray before = pruned.params().dup();

        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            ParallelWrapper wrapper = new ParallelWrapper.Builder<>(pruned)
                    .workers(2)
                    .prefetchBuffer(2)
                    .averagingFrequency(1)
                    .build();
            wrapper.fit(Fixtures.iterator(256, 16, 9));
        });

        assertNotEquals(before, pruned.params(), "the network should have trained");
        assertEquals(plan.sparsity(), ConnectionPruning.sparsityOf(pruned, plan), 0.0);
        for (LayerMask m : plan.masks()) {
            assertTrue(Fixtures.prunedAreZero(Layers.at(pruned, m.layer()).getParam(m.param()), m.mask()), m.key());
        }
    }
}
