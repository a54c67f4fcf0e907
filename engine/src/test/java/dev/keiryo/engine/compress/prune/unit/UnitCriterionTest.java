package dev.keiryo.engine.compress.prune.unit;

import static dev.keiryo.engine.compress.prune.unit.PruneFixtures.noise;
import static dev.keiryo.engine.compress.prune.unit.PruneFixtures.preset;
import static dev.keiryo.engine.compress.prune.unit.PruneFixtures.randomized;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.UnitCriterion;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.Layers;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;

class UnitCriterionTest {

    @Test
    void weightNormsRankAnAllZeroDenseUnitLowest() {
        ComputationGraph net = preset(ArchitecturePreset.LENET300);
        Layers.at(net, 0).getParam("W").getColumn(42).assign(0);
        for (UnitCriterion c : new UnitCriterion[] {UnitCriterion.L1, UnitCriterion.L2}) {
            UnitScores s = UnitPruning.score(net, 0, c, null);
            assertEquals(300, s.size());
            assertEquals(0.0, s.values()[42]);
            assertEquals(42, UnitPruning.rank(net, 0, c, null)[0], c.name());
        }
    }

    @Test
    void l1OfAConvFilterIsTheSumOfItsAbsoluteWeights() {
        ComputationGraph net = preset(ArchitecturePreset.LENET5);
        Layers.at(net, 2)
                .getParam("W")
                .get(NDArrayIndex.point(7), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                .assign(0);
        Layers.at(net, 2)
                .getParam("W")
                .get(NDArrayIndex.point(3), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                .assign(0.01);
        UnitScores s = UnitPruning.score(net, 2, UnitCriterion.L1, null);
        assertEquals(50, s.size());
        assertEquals(20 * 25 * 0.01, s.values()[3], 1e-5);
        assertEquals(
                Math.sqrt(20 * 25) * 0.01,
                UnitPruning.score(net, 2, UnitCriterion.L2, null).values()[3],
                1e-6);
        assertEquals(7, s.leastImportantFirst()[0]);
    }

    @Test
    void apozRanksADeadDenseUnitLowest() {
        ComputationGraph net = randomized(preset(ArchitecturePreset.LENET300), 1);
        Layers.at(net, 0).getParam("W").getColumn(42).assign(0);
        Layers.at(net, 0).getParam("b").putScalar(42, -1);
        UnitScores s = UnitPruning.score(net, 0, UnitCriterion.APOZ, noise(128, false, 1));
        assertEquals(1.0, s.values()[42]);
        assertFalse(s.higherIsMoreImportant());
        assertEquals("APoZ", s.measure());
        assertEquals(42, s.leastImportantFirst()[0]);
        assertTrue(s.values()[s.leastImportantFirst()[1]] < 1.0, "only the dead unit is always zero");

        UnitScores mean = UnitPruning.score(net, 0, UnitCriterion.MEAN_ACTIVATION, noise(128, false, 1));
        assertEquals(0.0, mean.values()[42]);
        assertEquals(42, mean.leastImportantFirst()[0]);
    }

    @Test
    void apozOfAConvWithIdentityActivationLooksAtTheFollowingReluLayer() {
        ComputationGraph net = randomized(ShrinkEquivalenceTest.smallNet(ConvolutionMode.Same), 2);
        Layers.at(net, 0)
                .getParam("W")
                .get(NDArrayIndex.point(2), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                .assign(0);
        Layers.at(net, 0).getParam("b").putScalar(2, -1);
        UnitScores s = UnitPruning.score(net, 0, UnitCriterion.APOZ, smallImages());
        assertEquals(6, s.size());
        assertEquals("APoZ after relu (relu)", s.measure());
        assertEquals(1.0, s.values()[2]);
        assertEquals(2, s.leastImportantFirst()[0]);
    }

    @Test
    void theTeachersConvolutionsAreScoredAfterTheReluThatFollowsTheirBatchNorm() {
        // DL4J M2.1 ignores an activation set on BatchNormalization, so the preset puts an ActivationLayer after it.
        ComputationGraph net = randomized(preset(ArchitecturePreset.TEACHER), 2);
        Layers.at(net, 1).getParam("beta").putScalar(5, -100);
        UnitScores s = UnitPruning.score(net, 0, UnitCriterion.APOZ, noise(64, true, 2));
        assertTrue(s.measure().startsWith("APoZ after relu1"), s.measure());
        assertEquals(
                1.0, s.values()[5], 1e-9, "a channel pushed far below zero by its BN is always zero after the ReLU");
        assertEquals(
                1.0, s.values()[s.leastImportantFirst()[0]], 1e-9, "it ranks among the always-zero, least important");
    }

    @Test
    void withoutAFollowingReluActivationCriteriaFallBackToMeanAbsoluteActivation() {
        ComputationGraph net = randomized(preset(ArchitecturePreset.LENET5), 3);
        Layers.at(net, 0)
                .getParam("W")
                .get(NDArrayIndex.point(3), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                .assign(0);
        Layers.at(net, 0).getParam("b").putScalar(3, 0);
        for (UnitCriterion c : new UnitCriterion[] {UnitCriterion.APOZ, UnitCriterion.MEAN_ACTIVATION}) {
            UnitScores s = UnitPruning.score(net, 0, c, noise(64, true, 3));
            assertTrue(s.measure().startsWith("mean |activation| (conv1 has the identity activation"), s.measure());
            assertTrue(s.higherIsMoreImportant());
            assertEquals(0.0, s.values()[3]);
            assertEquals(3, s.leastImportantFirst()[0]);
        }
    }

    @Test
    void scoresAreDeterministicAndReadOnlyTheFirstBatches() {
        ComputationGraph net = randomized(preset(ArchitecturePreset.LENET300), 4);
        UnitScores a = UnitPruning.score(net, 1, UnitCriterion.APOZ, noise(256, false, 4), 2);
        UnitScores b = UnitPruning.score(net, 1, UnitCriterion.APOZ, noise(64, false, 4), 8);
        assertEquals(a, b, "two batches of 32 from the same seeded data are the same 64 examples");
    }

    private static DataSetIterator smallImages() {
        java.util.Random r = new java.util.Random(5);
        float[] x = new float[64 * 64];
        for (int k = 0; k < x.length; k++) {
            x[k] = (float) r.nextGaussian();
        }
        Dataset d = new Dataset("small", x, new int[64], 3, 1, 8, 8, null);
        return ArrayDataSetIterator.builder(d)
                .batchSize(16)
                .shuffle(false)
                .imageShaped(true)
                .build();
    }

    @Test
    void activationCriteriaNeedData() {
        ComputationGraph net = preset(ArchitecturePreset.LENET300);
        KeiryoException e =
                assertThrows(KeiryoException.class, () -> UnitPruning.rank(net, 0, UnitCriterion.APOZ, null));
        assertTrue(e.getMessage().contains("no data iterator was given"), e.getMessage());
        KeiryoException notUnits = assertThrows(
                KeiryoException.class,
                () -> UnitPruning.score(preset(ArchitecturePreset.LENET5), 1, UnitCriterion.L1, null));
        assertTrue(notUnits.getMessage().startsWith("layer 'pool1' is a SubsamplingLayer"), notUnits.getMessage());
    }
}
