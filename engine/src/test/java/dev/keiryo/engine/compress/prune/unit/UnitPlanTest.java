package dev.keiryo.engine.compress.prune.unit;

import static dev.keiryo.engine.compress.prune.unit.PruneFixtures.MNIST;
import static dev.keiryo.engine.compress.prune.unit.PruneFixtures.preset;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.compress.UnitCriterion;
import dev.keiryo.engine.api.model.ModelStats;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.ModelStatistics;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class UnitPlanTest {

    @Test
    void halfOfLenet5sUnitsLeavesAQuarterOfItsParametersAndFlops() {
        ComputationGraph net = preset(ArchitecturePreset.LENET5);
        UnitPlan plan = UnitPruning.plan(
                net, UnitPruneSpec.perLayer(Map.of("conv1", 0.5, "conv2", 0.5, "dense1", 0.5), UnitCriterion.L1), null);

        long conv1 = 10 * 1 * 25 + 10;
        long conv2 = 25 * 10 * 25 + 25;
        long dense1 = 25 * 4 * 4 * 250 + 250;
        long output = 250 * 10 + 10;
        assertEquals(431_080, plan.parametersBefore());
        assertEquals(conv1 + conv2 + dense1 + output, plan.parametersAfter());
        assertEquals(109_295, plan.parametersAfter());
        assertEquals(
                List.of("conv1", "conv2", "dense1"),
                plan.cuts().stream().map(LayerCut::layerName).toList());
        assertEquals(
                List.of(10, 25, 250),
                plan.cuts().stream().map(LayerCut::unitsAfter).toList());
        assertEquals(
                List.of(520L, 25_050L, 400_500L),
                plan.cuts().stream().map(LayerCut::parametersBefore).toList());
        assertEquals(
                List.of(conv1, conv2, dense1),
                plan.cuts().stream().map(LayerCut::parametersAfter).toList());

        ComputationGraph small = UnitPruning.shrink(net, plan);
        ModelStats before = ModelStatistics.of(net, MNIST.toInputType(true));
        ModelStats after = ModelStatistics.of(small, MNIST.toInputType(true));
        assertEquals(plan.parametersAfter(), after.parameters());
        assertTrue(after.parameters() * 2 <= before.parameters(), "halves or better");
        // conv 2*k*k*nIn*out elements, pooling k*k*out elements, dense 2*nIn*nOut
        long flops = 2L * 25 * 1 * 10 * 24 * 24
                + 4L * 10 * 12 * 12
                + 2L * 25 * 10 * 25 * 8 * 8
                + 4L * 25 * 4 * 4
                + 2L * 400 * 250
                + 2L * 250 * 10;
        assertEquals(flops, after.flopsPerSample());
        assertEquals(1_300_360, after.flopsPerSample());
        assertEquals(4_600_720, before.flopsPerSample());
    }

    @Test
    void lenet300CountsMatchTheFormula() {
        ComputationGraph net = preset(ArchitecturePreset.LENET300);
        UnitPlan plan = UnitPruning.plan(
                net, UnitPruneSpec.perLayer(Map.of("dense1", 0.3, "dense2", 0.5), UnitCriterion.L2), null);
        assertEquals(266_610, plan.parametersBefore());
        assertEquals(784 * 210 + 210 + 210 * 50 + 50 + 50 * 10 + 10, plan.parametersAfter());
        assertEquals(plan.parametersAfter(), UnitPruning.shrink(net, plan).numParams());
        assertEquals(90 + 50, plan.unitsRemoved());
    }

    @Test
    void teacherCountsIncludeBatchNormsFourValuesPerChannel() {
        ComputationGraph net = preset(ArchitecturePreset.TEACHER);
        UnitPlan plan = UnitPruning.plan(net, UnitPruneSpec.allHidden(0.25, UnitCriterion.L1), null);
        assertEquals(
                List.of("conv1", "conv2", "conv3", "conv4", "dense1"),
                plan.cuts().stream().map(LayerCut::layerName).toList());
        long expected = (24 * 1 * 9 + 24)
                + 4 * 24
                + (24 * 24 * 9 + 24)
                + 4 * 24
                + (48 * 24 * 9 + 48)
                + 4 * 48
                + (48 * 48 * 9 + 48)
                + 4 * 48
                + (48L * 7 * 7 * 192 + 192)
                + (192 * 10 + 10);
        assertEquals(net.numParams(), plan.parametersBefore());
        assertEquals(expected, plan.parametersAfter());
        assertEquals(expected, UnitPruning.shrink(net, plan).numParams());
    }

    @Test
    void planningDoesNotTouchTheNetworkAndKeepsTheHighestScoringUnits() {
        ComputationGraph net = preset(ArchitecturePreset.LENET5);
        INDArray params = net.params().dup();
        UnitPlan plan = UnitPruning.plan(net, UnitPruneSpec.perLayer(Map.of("conv2", 0.2), UnitCriterion.L2), null);
        assertEquals(params, net.params());

        LayerCut cut = plan.cuts().get(0);
        int[] order = UnitPruning.rank(net, 2, UnitCriterion.L2, null);
        int[] expectedRemoved = Arrays.copyOf(order, 10);
        Arrays.sort(expectedRemoved);
        assertArrayEquals(expectedRemoved, cut.removed());
        assertEquals(40, cut.kept().length);
        assertTrue(isAscending(cut.kept()));
        assertEquals(UnitCriterion.L2, plan.criterion());
    }

    @Test
    void rankIsAPermutationFromLeastToMostImportant() {
        ComputationGraph net = preset(ArchitecturePreset.LENET300);
        UnitScores s = UnitPruning.score(net, 1, UnitCriterion.L1, null);
        int[] order = UnitPruning.rank(net, 1, UnitCriterion.L1, null);
        assertArrayEquals(
                java.util.stream.IntStream.range(0, 100).toArray(),
                Arrays.stream(order).sorted().toArray());
        double[] v = s.values();
        for (int k = 1; k < order.length; k++) {
            assertTrue(v[order[k - 1]] <= v[order[k]]);
        }
    }

    @Test
    void aZeroFractionKeepsEveryUnit() {
        ComputationGraph net = preset(ArchitecturePreset.LENET300);
        UnitPlan plan = UnitPruning.plan(net, UnitPruneSpec.perLayer(Map.of("dense2", 0.0), UnitCriterion.L1), null);
        assertEquals(100, plan.cuts().get(0).unitsAfter());
        assertEquals(plan.parametersBefore(), plan.parametersAfter());
        assertEquals(net.numParams(), UnitPruning.shrink(net, plan).numParams());
    }

    private static boolean isAscending(int[] a) {
        for (int k = 1; k < a.length; k++) {
            if (a[k] <= a[k - 1]) {
                return false;
            }
        }
        return true;
    }
}
