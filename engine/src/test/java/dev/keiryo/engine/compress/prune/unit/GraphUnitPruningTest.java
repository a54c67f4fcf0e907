package dev.keiryo.engine.compress.prune.unit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.UnitCriterion;
import dev.keiryo.engine.compress.pack.PackOptions;
import dev.keiryo.engine.compress.pack.PackReader;
import dev.keiryo.engine.compress.pack.PackWriter;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.model.PresetParameters;
import dev.keiryo.engine.train.TrainSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Unit pruning of graphs with residual sums and batch norm: whole channel groups shrink together. */
class GraphUnitPruningTest {
    private static final InputShape IN = new InputShape(3, 8, 8);
    private static final int CLASSES = 5;

    private static ComputationGraph thin(ArchitecturePreset p) {
        Nd4j.getRandom().setSeed(11);
        return ModelFactory.build(new Architecture(p, 0.25, null, 0.0), IN, CLASSES, TrainSettings.defaults());
    }

    @Test
    void halfOfEveryGroupOfAResnetLeavesExactlyTheKeptChannelsParametersAndTrainsAndReloads(@TempDir Path dir) {
        ComputationGraph net = thin(ArchitecturePreset.RESNET20);
        assertEquals(
                PresetParameters.resnet20(new int[] {4, 8, 16}, new int[] {4, 8, 16}, 3, CLASSES), net.numParams());

        UnitPlan plan = UnitPruning.plan(net, UnitPruneSpec.allHidden(0.5, UnitCriterion.L1), null);
        long expected = PresetParameters.resnet20(new int[] {2, 4, 8}, new int[] {2, 4, 8}, 3, CLASSES);
        assertEquals(net.numParams(), plan.parametersBefore());
        assertEquals(expected, plan.parametersAfter());
        assertEquals(21, plan.cuts().size(), "the stem, 9 first and 9 second convolutions, 2 projections");
        ComputationGraph small = UnitPruning.shrink(net, plan);
        assertEquals(expected, small.numParams());

        DataSet batch = new DataSet(images(16, 3), labels(16, 4));
        for (int epoch = 0; epoch < 2; epoch++) {
            small.fit(batch);
        }
        assertTrue(Double.isFinite(small.score()), "the shrunk ResNet trains");

        Path file = dir.resolve("small.kpack");
        ModelMeta meta =
                new ModelMeta(ModelMeta.FORMAT_VERSION, "resnet20", IN, true, CLASSES, List.of(), Normalizer.none());
        PackWriter.write(new KeiryoModel(small, meta), file, PackOptions.defaults());
        ComputationGraph back = PackReader.read(file).net();
        assertEquals(expected, back.numParams());
        INDArray x = images(4, 9);
        INDArray a = small.outputSingle(false, x);
        INDArray b = back.outputSingle(false, x);
        assertTrue(
                a.sub(b).amaxNumber().doubleValue() < 1e-6,
                "max difference " + a.sub(b).amaxNumber());
    }

    @Test
    void anyLayerOfAResidualStreamNamesItsWholeGroup() {
        ComputationGraph net = thin(ArchitecturePreset.RESNET20);
        UnitPlan plan =
                UnitPruning.plan(net, UnitPruneSpec.perLayer(Map.of("s2b3.conv2", 0.5), UnitCriterion.L2), null);
        assertEquals(
                List.of("s2b1.proj", "s2b1.conv2", "s2b2.conv2", "s2b3.conv2"),
                plan.cuts().stream().map(LayerCut::layerName).toList());
        int[] kept = plan.cuts().get(0).kept();
        for (LayerCut c : plan.cuts()) {
            assertArrayEquals(kept, c.kept(), "one set of channels for the whole stream");
        }
        ComputationGraph small = UnitPruning.shrink(net, plan);
        assertArrayEquals(new long[] {4, 4, 1, 1}, small.getParam("s2b1.proj_W").shape());
        assertArrayEquals(
                new long[] {16, 4, 3, 3}, small.getParam("s3b1.conv1_W").shape());
        assertEquals(
                List.of("stem", "s1b1.conv1", "s1b2.conv1", "s1b3.conv1", "s2b1.conv1", "s2b1.proj", "s2b2.conv1"),
                UnitPruning.prunableGroups(net).stream()
                        .map(g -> g.get(0))
                        .toList()
                        .subList(0, 7));
    }

    @Test
    void groupsAreRankedByTheirProducersTogether() {
        ComputationGraph net = thin(ArchitecturePreset.RESNET20);
        // channel 3 of the first stream is small in every layer writing it; channel 0 only in the stem
        for (String p : List.of("stem", "s1b1.conv2", "s1b2.conv2", "s1b3.conv2")) {
            INDArray w = net.getParam(p + "_W");
            w.get(org.nd4j.linalg.indexing.NDArrayIndex.point(3)).muli(0.01);
        }
        net.getParam("stem_W")
                .get(org.nd4j.linalg.indexing.NDArrayIndex.point(0))
                .muli(0.001);
        UnitPlan plan = UnitPruning.plan(net, UnitPruneSpec.perLayer(Map.of("stem", 0.25), UnitCriterion.L1), null);
        assertArrayEquals(new int[] {0, 1, 2}, plan.cuts().get(0).kept(), "channel 3 goes, not the stem's channel 0");
    }

    @Test
    void theActivationCriteriaRankAResnetsGroupsInOnePass() {
        ComputationGraph net = thin(ArchitecturePreset.RESNET20);
        UnitPlan plan = UnitPruning.plan(
                net,
                UnitPruneSpec.allHidden(0.5, UnitCriterion.APOZ),
                new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(
                        List.of(new DataSet(images(8, 5), labels(8, 1))), 8));
        assertEquals(
                PresetParameters.resnet20(new int[] {2, 4, 8}, new int[] {2, 4, 8}, 3, CLASSES),
                UnitPruning.shrink(net, plan).numParams());
    }

    @Test
    void halfOfEveryConvolutionOfVggSmall() {
        ComputationGraph net = thin(ArchitecturePreset.VGG_SMALL);
        UnitPlan plan = UnitPruning.plan(net, UnitPruneSpec.allHidden(0.5, UnitCriterion.L1), null);
        assertEquals(6, plan.cuts().size());
        long expected = PresetParameters.vggSmall(new int[] {4, 8, 16}, 3, CLASSES);
        assertEquals(expected, UnitPruning.shrink(net, plan).numParams());
    }

    @Test
    void aGroupThatWouldLoseAllItsChannelsIsRefused() {
        ComputationGraph net = thin(ArchitecturePreset.RESNET20);
        String m = assertThrows(
                        KeiryoException.class,
                        () -> UnitPruneSpec.perLayer(Map.of("s1b2.conv2", 0.9), UnitCriterion.L1)
                                .resolve(net))
                .getMessage();
        assertEquals(
                "removing a fraction of 0.9 of the 4 units of the group of layers [stem, s1b1.conv2, s1b2.conv2,"
                        + " s1b3.conv2] (their outputs meet in a residual sum) would remove all of them; use a"
                        + " fraction below 0.8750 so at least one unit remains.",
                m);
        String c = assertThrows(
                        KeiryoException.class,
                        () -> UnitPruneSpec.perLayer(Map.of("stem", 0.5, "s1b2.conv2", 0.25), UnitCriterion.L1)
                                .resolve(net))
                .getMessage();
        assertTrue(c.contains("meet in a residual sum") && c.endsWith("give one fraction for both."), c);
        assertTrue(assertThrows(
                        KeiryoException.class,
                        () -> UnitPruneSpec.perLayer(Map.of("output", 0.5), UnitCriterion.L1)
                                .resolve(net))
                .getMessage()
                .startsWith("layer 'output' is the output layer"));
    }

    private static INDArray images(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 3 * 8 * 8];
        for (int k = 0; k < x.length; k++) {
            x[k] = (float) r.nextGaussian();
        }
        return Nd4j.create(x, new long[] {n, 3, 8, 8}, 'c').castTo(DataType.FLOAT);
    }

    private static INDArray labels(int n, long seed) {
        Random r = new Random(seed);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, CLASSES);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, r.nextInt(CLASSES), 1);
        }
        return y;
    }
}
