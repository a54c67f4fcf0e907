package dev.keiryo.engine.compress.prune.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The slider path: one ranking, many re-plans, each applied in place to a scratch copy. Its speed is
 * measured by {@code keiryo bench --preview}, not here.
 */
class ApplyInPlaceTest {

    @Test
    void repeatedApplicationsFromOneRankingLeaveTheOriginalAlone() {
        ComputationGraph net = Fixtures.lenet5();
        INDArray original = net.params().dup();
        ComputationGraph scratch = net.clone();
        ConnectionRanking ranking = ConnectionPruning.rank(net, ConnectionPruneSpec.global(0.9));
        for (double s : new double[] {0.9, 0.5, 0.8}) {
            ConnectionPlan plan = ranking.plan(ConnectionPruneSpec.global(s));
            ConnectionPruning.applyInPlace(scratch, original, plan);
            assertEquals(plan.sparsity(), ConnectionPruning.sparsityOf(scratch, plan), 0.0);
            assertEquals(s, plan.sparsity(), 1e-5);
        }
        assertEquals(original, net.params());
    }
}
