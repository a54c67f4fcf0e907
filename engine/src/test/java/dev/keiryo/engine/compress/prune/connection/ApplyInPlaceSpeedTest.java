package dev.keiryo.engine.compress.prune.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The workbench's sparsity slider re-plans from a ranking and previews on every move: both must
 * stay well inside a frame budget for LeNet-5 (431,080 parameters). Measured here: preview ~0.3-0.9
 * ms, re-plan ~5 ms; the bounds are loose because CI machines are shared.
 */
class ApplyInPlaceSpeedTest {

    @Test
    void sliderPathForLenet5IsFast(TestReporter report) {
        MultiLayerNetwork net = Fixtures.lenet5();
        INDArray original = net.params().dup();
        MultiLayerNetwork scratch = net.clone();
        ConnectionRanking ranking = ConnectionPruning.rank(net, ConnectionPruneSpec.global(0.9));
        ConnectionPlan plan = ranking.plan(ConnectionPruneSpec.global(0.9));

        double preview = medianMillis(50, () -> ConnectionPruning.applyInPlace(scratch, original, plan));
        double replan = medianMillis(9, () -> ranking.plan(ConnectionPruneSpec.global(0.8)));

        report.publishEntry("applyInPlaceMs", String.format(Locale.ROOT, "%.3f", preview));
        report.publishEntry("replanMs", String.format(Locale.ROOT, "%.1f", replan));
        assertEquals(plan.sparsity(), ConnectionPruning.sparsityOf(scratch, plan), 0.0);
        assertEquals(original, net.params());
        assertTrue(preview < 50, "applyInPlace took " + preview + " ms");
        assertTrue(replan < 500, "re-planning took " + replan + " ms");
    }

    private static double medianMillis(int runs, Runnable r) {
        for (int i = 0; i < 3; i++) {
            r.run();
        }
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(t);
        return t[runs / 2];
    }
}
