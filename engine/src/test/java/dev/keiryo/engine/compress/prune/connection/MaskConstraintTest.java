package dev.keiryo.engine.compress.prune.connection;

import static dev.keiryo.engine.compress.prune.connection.Fixtures.prunedAreZero;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import dev.keiryo.engine.model.Layers;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Masks hold through training with Adam and weight decay, and travel with the configuration. */
class MaskConstraintTest {
    private static final int ITERATIONS = 25;

    private static void fit(ComputationGraph net, int iterations) {
        DataSet batch = Fixtures.batch(64, 5);
        for (int i = 0; i < iterations; i++) {
            net.fit(batch);
        }
    }

    private static void assertMasksHeld(ComputationGraph net, ConnectionPlan plan) {
        assertEquals(plan.sparsity(), ConnectionPruning.sparsityOf(net, plan), 0.0);
        for (LayerMask m : plan.masks()) {
            assertTrue(prunedAreZero(Layers.at(net, m.layer()).getParam(m.param()), m.mask()), m.key() + " revived");
        }
    }

    @Test
    void masksSurviveAdamWithWeightDecay() {
        ComputationGraph net = Fixtures.mlp();
        ConnectionPlan plan =
                ConnectionPruning.plan(net, ConnectionPruneSpec.global(0.7).withBiases(true));
        ComputationGraph pruned = ConnectionPruning.apply(net, plan);
        INDArray before = pruned.params().dup();

        fit(pruned, ITERATIONS);

        assertNotEquals(before, pruned.params(), "the network should have trained");
        assertMasksHeld(pruned, plan);
    }

    @Test
    void withoutMasksThePrunedWeightsGrowBack() {
        ComputationGraph net = Fixtures.mlp();
        ConnectionPlan plan = ConnectionPruning.plan(net, ConnectionPruneSpec.global(0.7));
        ComputationGraph pruned = Masks.strip(ConnectionPruning.apply(net, plan));
        assertTrue(Masks.of(pruned).isEmpty());

        fit(pruned, ITERATIONS);

        assertTrue(ConnectionPruning.sparsityOf(pruned, plan) < 0.1, "this test would not notice a failing mask");
    }

    @Test
    void masksRoundTripThroughConfigurationJson() {
        ComputationGraph pruned = ConnectionPruning.apply(
                Fixtures.smallLenet(),
                ConnectionPruning.plan(
                        Fixtures.smallLenet(), ConnectionPruneSpec.perLayer(0.6).withBiases(true)));
        List<LayerMask> masks = Masks.of(pruned);
        assertEquals(8, masks.size());

        String json = pruned.getConfiguration().toJson();
        assertTrue(json.contains(MaskConstraint.class.getName()));
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
        ComputationGraph rebuilt = new ComputationGraph(back);
        rebuilt.init(pruned.params().dup(), false);

        List<LayerMask> again = Masks.of(rebuilt);
        assertEquals(masks.size(), again.size());
        for (int i = 0; i < masks.size(); i++) {
            assertEquals(masks.get(i).key(), again.get(i).key());
            assertEquals(
                    masks.get(i).mask().castTo(DataType.FLOAT),
                    again.get(i).mask().castTo(DataType.FLOAT));
            assertEquals(masks.get(i).pruned(), again.get(i).pruned());
        }
        assertEquals(pruned.getConfiguration(), back);
    }

    @Test
    void masksSurviveModelSerializerAndKeepHoldingAfterRestore(@TempDir Path dir) throws Exception {
        ComputationGraph net = Fixtures.mlp();
        ConnectionPlan plan = ConnectionPruning.plan(net, ConnectionPruneSpec.perLayer(0.5));
        ComputationGraph pruned = ConnectionPruning.apply(net, plan);
        File file = dir.resolve("pruned.zip").toFile();
        ModelSerializer.writeModel(pruned, file, true);

        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);

        assertEquals(plan.masks().size(), Masks.of(restored).size());
        assertEquals(pruned.params(), restored.params());
        fit(restored, ITERATIONS);
        assertMasksHeld(restored, plan);
    }

    @Test
    void otherConstraintsAreKeptAndClonesAreIndependent() {
        ComputationGraph net = Fixtures.mlp();
        MaxNormConstraint maxNorm = new MaxNormConstraint(5.0, 0);
        Layers.at(net, 0).conf().getLayer().setConstraints(List.of(maxNorm));
        ConnectionPlan plan = ConnectionPruning.plan(net, ConnectionPruneSpec.global(0.5));

        ComputationGraph pruned = ConnectionPruning.apply(net, plan);
        List<LayerConstraint> c = Layers.at(pruned, 0).conf().getLayer().getConstraints();
        assertEquals(2, c.size());
        assertEquals(maxNorm, c.get(0));
        assertInstanceOf(MaskConstraint.class, c.get(1));
        assertEquals(
                List.of(maxNorm), Layers.at(net, 0).conf().getLayer().getConstraints(), "the original kept its list");

        ComputationGraph copy = pruned.clone();
        assertEquals(3, Masks.of(copy).size());
        Masks.strip(copy);
        assertEquals(List.of(maxNorm), Layers.at(copy, 0).conf().getLayer().getConstraints());
        assertEquals(3, Masks.of(pruned).size(), "stripping a clone must not strip its original");
    }

    @Test
    void masksHoldInANetworkConvertedToAnotherPrecision() {
        ComputationGraph net = Fixtures.mlp();
        ConnectionPlan plan = ConnectionPruning.plan(net, ConnectionPruneSpec.global(0.6));
        ComputationGraph doubled = ConnectionPruning.apply(net, plan).convertDataType(DataType.DOUBLE);

        fit(doubled, 10);

        assertEquals(DataType.DOUBLE, doubled.params().dataType());
        assertMasksHeld(doubled, plan);
    }
}
