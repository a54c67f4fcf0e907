package dev.keiryo.engine.compress.prune.unit;

import static dev.keiryo.engine.compress.prune.unit.PruneFixtures.noise;
import static dev.keiryo.engine.compress.prune.unit.PruneFixtures.preset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.compress.UnitCriterion;
import dev.keiryo.engine.model.ArchitecturePreset;
import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** A shrunk network is an ordinary network: it trains with a fresh updater and round-trips through ModelSerializer. */
class ShrunkNetworkTrainingTest {

    @Test
    void shrunkLenet5TrainsAndSurvivesSaveAndLoad(@TempDir Path dir) throws Exception {
        ComputationGraph net = preset(ArchitecturePreset.LENET5);
        DataSet warmUp = noise(16, true, 3).next();
        net.fit(warmUp);
        net.fit(warmUp);
        assertEquals(2, net.getConfiguration().getIterationCount());
        UnitPlan plan = UnitPruning.plan(
                net,
                UnitPruneSpec.perLayer(Map.of("conv1", 0.5, "conv2", 0.5, "dense1", 0.5), UnitCriterion.APOZ),
                noise(64, true, 1));
        trainSaveLoad(UnitPruning.shrink(net, plan), dir.resolve("lenet5.zip").toFile());
    }

    @Test
    void shrunkTeacherWithBatchNormTrainsAndSurvivesSaveAndLoad(@TempDir Path dir) throws Exception {
        ComputationGraph net = preset(ArchitecturePreset.TEACHER);
        UnitPlan plan = UnitPruning.plan(net, UnitPruneSpec.allHidden(0.5, UnitCriterion.L1), null);
        trainSaveLoad(UnitPruning.shrink(net, plan), dir.resolve("teacher.zip").toFile());
    }

    private static void trainSaveLoad(ComputationGraph small, File file) throws Exception {
        assertEquals(0, small.getConfiguration().getIterationCount(), "a fresh training run");
        assertEquals(0, small.getConfiguration().getEpochCount());
        INDArray before = small.params().dup();
        DataSetIterator data = noise(48, true, 7);
        for (int step = 0; step < 3 && data.hasNext(); step++) {
            DataSet ds = data.next();
            small.fit(ds);
            assertTrue(Double.isFinite(small.score()), "loss after a fit step");
        }
        assertNotEquals(before, small.params(), "fitting moved the weights");

        ModelSerializer.writeModel(small, file, true);
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(file, true);
        assertEquals(small.getConfiguration(), loaded.getConfiguration());
        assertEquals(small.params(), loaded.params());
        data.reset();
        INDArray x = data.next().getFeatures();
        assertEquals(small.outputSingle(false, x), loaded.outputSingle(false, x));
        DataSet ds = data.next();
        loaded.fit(ds);
        assertTrue(Double.isFinite(loaded.score()));
    }
}
