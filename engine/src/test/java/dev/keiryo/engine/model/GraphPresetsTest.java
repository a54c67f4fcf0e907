package dev.keiryo.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.train.TrainSettings;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class GraphPresetsTest {
    private static final InputShape CIFAR = new InputShape(3, 32, 32);

    /** ResNet-20's parameters by the paper's layout, counted independently of the builder. */
    private static long resnet20Parameters(int inChannels, int classes) {
        int[] w = {16, 32, 64};
        long conv = 9L * inChannels * 16;
        long bnChannels = 16;
        int c = 16;
        for (int stage = 0; stage < 3; stage++) {
            for (int block = 0; block < 3; block++) {
                conv += 9L * c * w[stage] + 9L * w[stage] * w[stage];
                bnChannels += 2L * w[stage];
                if (c != w[stage]) {
                    conv += (long) c * w[stage]; // 1x1 projection shortcut
                    bnChannels += w[stage];
                }
                c = w[stage];
            }
        }
        // DL4J keeps batch norm's running mean and variance among the parameters: 4 per channel
        return conv + 4 * bnChannels + 64L * classes + classes;
    }

    @Test
    void resnet20HasThePapersParameterCount() {
        ComputationGraph g = ModelFactory.build(Architecture.of(ArchitecturePreset.RESNET20), CIFAR, 10, settings());
        assertEquals(resnet20Parameters(3, 10), g.numParams());
        // the trainable ones (without running statistics): the paper's "0.27 M"
        long bnChannels = 16 + 6 * 16 + 7 * 32 + 7 * 64;
        assertEquals(272_474, g.numParams() - 2 * bnChannels);
    }

    @Test
    void resnet20HasResidualSumsAndProjectionShortcutsWhereTheShapeChanges() {
        ComputationGraph g = ModelFactory.build(Architecture.of(ArchitecturePreset.RESNET20), CIFAR, 10, settings());
        GraphTopology t = new GraphTopology(g.getConfiguration());
        assertEquals(9, t.order().stream().filter(t::isAdd).count());
        assertEquals(List.of("s1b2.conv2.bn", "s1b1.relu"), t.inputsOf("s1b2.add"));
        assertEquals(List.of("s2b1.conv2.bn", "s2b1.proj.bn"), t.inputsOf("s2b1.add"));
        assertTrue(!t.isChain());
    }

    @Test
    void forwardShapesFollowTheDataGreyOrColourAnySize() {
        for (InputShape in : List.of(CIFAR, new InputShape(1, 28, 28), new InputShape(3, 17, 23))) {
            for (ArchitecturePreset p : List.of(ArchitecturePreset.RESNET20, ArchitecturePreset.VGG_SMALL)) {
                ComputationGraph g = ModelFactory.build(Architecture.of(p), in, 7, settings());
                INDArray out = g.outputSingle(Nd4j.rand(DataType.FLOAT, 2, in.channels(), in.height(), in.width()));
                assertArrayEquals(new long[] {2, 7}, out.shape(), p + " on " + in);
            }
        }
    }

    @Test
    void vggSmallHasAFewHundredThousandParameters() {
        ComputationGraph g = ModelFactory.build(Architecture.of(ArchitecturePreset.VGG_SMALL), CIFAR, 10, settings());
        long conv = 9L * (3 * 32 + 32 * 32 + 32 * 64 + 64 * 64 + 64 * 128 + 128 * 128);
        long bn = 4L * 2 * (32 + 64 + 128);
        assertEquals(conv + bn + 128 * 10 + 10, g.numParams());
    }

    @Test
    void widthScalesTheChannels() {
        ComputationGraph half =
                ModelFactory.build(new Architecture(ArchitecturePreset.RESNET20, 0.5, null, 0), CIFAR, 10, settings());
        assertArrayEquals(
                new long[] {32, 16, 3, 3}, half.getParam("s3b1.conv1_W").shape());
    }

    @Test
    void oneIterationOnTinyRandomDataLowersTheLoss() {
        for (ArchitecturePreset p : List.of(ArchitecturePreset.RESNET20, ArchitecturePreset.VGG_SMALL)) {
            ComputationGraph g = ModelFactory.build(Architecture.of(p), new InputShape(3, 8, 8), 4, settings());
            Nd4j.getRandom().setSeed(7);
            INDArray x = Nd4j.rand(DataType.FLOAT, 8, 3, 8, 8);
            INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 4);
            for (int i = 0; i < 8; i++) {
                y.putScalar(i, i % 4, 1);
            }
            DataSet ds = new DataSet(x, y);
            double before = g.score(ds, true);
            g.fit(ds);
            assertTrue(g.score(ds, true) < before, p + ": loss did not fall from " + before);
        }
    }

    @Test
    void tabularDataOrTooSmallImagesGetOneSentence() {
        KeiryoException flat = assertThrows(
                KeiryoException.class,
                () -> ModelFactory.build(
                        Architecture.of(ArchitecturePreset.RESNET20), InputShape.flat(20), 3, settings()));
        assertTrue(flat.getMessage().contains("needs images"), flat.getMessage());
        KeiryoException small = assertThrows(
                KeiryoException.class,
                () -> ModelFactory.build(
                        Architecture.of(ArchitecturePreset.VGG_SMALL), new InputShape(3, 6, 6), 3, settings()));
        assertTrue(small.getMessage().contains("at least 8x8"), small.getMessage());
    }

    @Test
    void aChainBecomesAGraphWithOnePathItsNamesParametersAndOutputs() {
        MultiLayerNetwork chain = LayerLists.toChain(
                ModelFactory.build(
                        Architecture.of(ArchitecturePreset.LENET5), new InputShape(1, 28, 28), 10, settings()),
                "test");
        ComputationGraph g = Chains.toGraph(chain);
        GraphTopology t = new GraphTopology(g.getConfiguration());
        assertTrue(t.isChain());
        assertEquals(List.of("input", "conv1", "pool1", "conv2", "pool2", "dense1", "output"), t.order());
        assertEquals(chain.getParam("0_W"), g.getParam("conv1_W"));
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 1, 28, 28);
        assertEquals(chain.output(x), g.outputSingle(x));
        assertEquals(
                g.outputSingle(x), Chains.toGraph(LayerLists.toChain(g, "test")).outputSingle(x));
    }

    @Test
    void channelFlowFollowsBatchNormActivationsAndSums() {
        ComputationGraph g = ModelFactory.build(Architecture.of(ArchitecturePreset.RESNET20), CIFAR, 10, settings());
        GraphTopology.ChannelFlow f = new GraphTopology(g.getConfiguration()).channelFlow("s1b1.conv2");
        // a sum passes its channels on: the whole first stage's residual stream shares them
        assertEquals(List.of("s1b1.conv2.bn", "s1b1.relu", "s1b2.relu", "s1b3.relu"), f.through());
        assertEquals(List.of("s1b1.add", "s1b2.add", "s1b3.add"), f.adds());
        assertTrue(f.consumers().containsAll(List.of("s1b2.conv1", "s2b1.conv1", "s2b1.proj")), f.toString());
    }

    private static TrainSettings settings() {
        return TrainSettings.defaults();
    }
}
