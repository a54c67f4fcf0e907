package dev.keiryo.engine.compress.prune.unit;

import static dev.keiryo.engine.compress.prune.unit.PruneFixtures.maxAbsDiff;
import static dev.keiryo.engine.compress.prune.unit.PruneFixtures.preset;
import static dev.keiryo.engine.compress.prune.unit.PruneFixtures.randomInput;
import static dev.keiryo.engine.compress.prune.unit.PruneFixtures.randomized;
import static dev.keiryo.engine.compress.prune.unit.PruneFixtures.zeroConvInputs;
import static dev.keiryo.engine.compress.prune.unit.PruneFixtures.zeroDenseRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.Chains;
import dev.keiryo.engine.model.Layers;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The defining property of a correct shrink: once nothing downstream reads a unit (its outgoing
 * weights are zero), removing it must not change the network's output. Any slice taken from the
 * wrong unit, row, channel or flatten position breaks this.
 */
class ShrinkEquivalenceTest {
    private static final double TOLERANCE = 1e-5;

    @Test
    void lenet300DenseToDense() {
        ComputationGraph net = randomized(preset(ArchitecturePreset.LENET300), 1);
        int[] dense1 = {0, 5, 150, 299};
        zeroDenseRows(net, 1, dense1, 1);
        ComputationGraph small = assertSameOutputs(net, Map.of("dense1", dense1), false);
        assertEquals(296, nOut(small, 0));
        assertEquals(296, nIn(small, 1));
    }

    @Test
    void lenet300DenseToOutputAndBothAtOnce() {
        ComputationGraph net = randomized(preset(ArchitecturePreset.LENET300), 2);
        int[] dense1 = {3, 17, 250};
        int[] dense2 = {0, 42, 99};
        zeroDenseRows(net, 1, dense1, 1);
        zeroDenseRows(net, 2, dense2, 1);
        assertSameOutputs(net, Map.of("dense2", dense2), false);
        ComputationGraph small = assertSameOutputs(net, Map.of("dense1", dense1, "dense2", dense2), false);
        assertEquals(297, nIn(small, 1));
        assertEquals(97, nOut(small, 1));
        assertEquals(97, nIn(small, 2));
    }

    @Test
    void lenet5ConvToPoolToConv() {
        ComputationGraph net = randomized(preset(ArchitecturePreset.LENET5), 3);
        int[] conv1 = {1, 7, 19};
        zeroConvInputs(net, 2, conv1);
        ComputationGraph small = assertSameOutputs(net, Map.of("conv1", conv1), true);
        assertEquals(17, nOut(small, 0));
        assertEquals(17, nIn(small, 2));
    }

    @Test
    void lenet5ConvToPoolToFlattenToDense() {
        ComputationGraph net = randomized(preset(ArchitecturePreset.LENET5), 4);
        int[] conv2 = {0, 13, 31, 49};
        zeroDenseRows(net, 4, conv2, 4 * 4);
        ComputationGraph small = assertSameOutputs(net, Map.of("conv2", conv2), true);
        assertEquals(46 * 16, nIn(small, 4));
        assertEquals(
                "CnnToFeedForwardPreProcessor(inputHeight=4, inputWidth=4, numChannels=46, format=NCHW)",
                Layers.preProcessor(small, 4).toString());
    }

    @Test
    void lenet5AllHiddenLayersAtOnce() {
        ComputationGraph net = randomized(preset(ArchitecturePreset.LENET5), 5);
        int[] conv1 = {0, 10};
        int[] conv2 = {2, 3, 48};
        int[] dense1 = {7, 100, 499};
        zeroConvInputs(net, 2, conv1);
        zeroDenseRows(net, 4, conv2, 16);
        zeroDenseRows(net, 5, dense1, 1);
        assertSameOutputs(net, Map.of("conv1", conv1, "conv2", conv2, "dense1", dense1), true);
    }

    @Test
    void teacherWithBatchNormInSameModeEverywhere() {
        ComputationGraph net = randomized(preset(ArchitecturePreset.TEACHER), 6);
        Map<String, int[]> removed = new LinkedHashMap<>();
        removed.put("conv1", new int[] {2, 30});
        removed.put("conv2", new int[] {0, 31});
        removed.put("conv3", new int[] {5});
        removed.put("conv4", new int[] {1, 63});
        removed.put("dense1", new int[] {9, 200});
        zeroConvInputs(net, 3, removed.get("conv1")); // conv1 -> bn1 -> relu1 -> conv2
        zeroConvInputs(net, 7, removed.get("conv2")); // conv2 -> bn2 -> relu2 -> pool1 -> conv3
        zeroConvInputs(net, 10, removed.get("conv3")); // conv3 -> bn3 -> relu3 -> conv4
        zeroDenseRows(net, 14, removed.get("conv4"), 49); // conv4 -> bn4 -> relu4 -> pool2 -> flatten 7x7 -> dense1
        zeroDenseRows(net, 16, removed.get("dense1"), 1); // dense1 -> dropout1 -> output
        ComputationGraph small = assertSameOutputs(net, removed, true);
        assertEquals(30, ((FeedForwardLayer) Layers.conf(small, 1)).getNOut());
        assertEquals(30, Layers.at(small, 1).getParam("gamma").length());
        assertEquals(62 * 49, nIn(small, 14));
    }

    @Test
    void globalPoolingActivationLayerAndDenseBatchNormPassUnitsThrough() {
        ComputationGraph net = randomized(smallNet(ConvolutionMode.Truncate), 7);
        int[] conv = {1, 4};
        int[] dense = {0, 5};
        zeroDenseRows(net, 3, conv, 1); // conv -> relu -> global avg pool -> dense
        zeroDenseRows(net, 6, dense, 1); // dense -> bn -> dropout -> output
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 1, 8, 8).subi(0.5);
        ComputationGraph small =
                UnitPruning.shrink(net, UnitPruning.planRemoving(net, Map.of("conv", conv, "hidden", dense)));
        assertTrue(maxAbsDiff(net.outputSingle(false, x), small.outputSingle(false, x)) < TOLERANCE);
        assertEquals(6, nOut(small, 3));
        assertEquals(6, ((FeedForwardLayer) Layers.conf(small, 4)).getNIn());
    }

    @Test
    void removingUnitsThatStillMatterDoesChangeTheOutput() {
        ComputationGraph net = randomized(preset(ArchitecturePreset.LENET5), 8);
        INDArray x = randomInput(net, 4, 80, true);
        ComputationGraph small =
                UnitPruning.shrink(net, UnitPruning.planRemoving(net, Map.of("conv2", new int[] {0, 13, 31, 49})));
        assertTrue(
                maxAbsDiff(net.outputSingle(false, x), small.outputSingle(false, x)) > 1e-3,
                "the equivalence tests would be vacuous if removing live units changed nothing");
    }

    @Test
    void shrinkLeavesTheOriginalNetworkAlone() {
        ComputationGraph net = randomized(preset(ArchitecturePreset.LENET5), 9);
        INDArray x = randomInput(net, 4, 90, true);
        INDArray before = net.outputSingle(false, x);
        INDArray params = net.params().dup();
        UnitPruning.shrink(net, UnitPruning.planRemoving(net, Map.of("conv1", new int[] {0}, "conv2", new int[] {1})));
        assertEquals(params, net.params());
        assertEquals(before, net.outputSingle(false, x));
        assertEquals(20, nOut(net, 0));
        assertEquals(50, Layers.conf(net, 2) instanceof FeedForwardLayer f ? f.getNOut() : -1);
        assertEquals(
                "CnnToFeedForwardPreProcessor(inputHeight=4, inputWidth=4, numChannels=50, format=NCHW)",
                Layers.preProcessor(net, 4).toString());
    }

    private static ComputationGraph assertSameOutputs(ComputationGraph net, Map<String, int[]> removed, boolean image) {
        UnitPlan plan = UnitPruning.planRemoving(net, removed);
        ComputationGraph small = UnitPruning.shrink(net, plan);
        INDArray x = randomInput(net, 8, 42, image);
        double diff = maxAbsDiff(net.outputSingle(false, x), small.outputSingle(false, x));
        assertTrue(diff < TOLERANCE, "max |output difference| " + diff + " after removing " + removed.keySet());
        assertTrue(small.numParams() < net.numParams());
        for (int i = 0; i < Layers.count(net); i++) {
            assertEquals(
                    Layers.conf(net, i).getLayerName(), Layers.conf(small, i).getLayerName());
        }
        return small;
    }

    private static long nOut(ComputationGraph net, int i) {
        return ((FeedForwardLayer) Layers.conf(net, i)).getNOut();
    }

    private static long nIn(ComputationGraph net, int i) {
        return ((FeedForwardLayer) Layers.conf(net, i)).getNIn();
    }

    /** conv(identity) -> relu -> global avg pool -> dense -> bn -> dropout -> output, on 1x8x8 inputs. */
    static ComputationGraph smallNet(ConvolutionMode mode) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(11)
                .weightInit(WeightInit.XAVIER)
                .dataType(DataType.FLOAT)
                .convolutionMode(mode)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .name("conv")
                        .nOut(6)
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(new ActivationLayer.Builder()
                        .name("relu")
                        .activation(Activation.RELU)
                        .build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG)
                        .name("gap")
                        .build())
                .layer(new DenseLayer.Builder()
                        .name("hidden")
                        .nOut(8)
                        .activation(Activation.TANH)
                        .build())
                .layer(new BatchNormalization.Builder()
                        .name("bn")
                        .activation(Activation.RELU)
                        .build())
                .layer(new DropoutLayer.Builder(0.5).name("drop").build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT)
                        .name("out")
                        .nOut(3)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(8, 8, 1))
                .build();
        ComputationGraph net = new ComputationGraph(Chains.toGraph(conf));
        net.init();
        return net;
    }
}
