package dev.keiryo.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.train.TrainSettings;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BatchNormFoldingTest {

    @Test
    void resnet20WithoutBatchNormComputesTheSameOutputs() {
        ComputationGraph net = trainedLooking(
                ModelFactory.build(
                        Architecture.of(ArchitecturePreset.RESNET20),
                        new InputShape(3, 16, 16),
                        10,
                        TrainSettings.defaults()),
                1);
        ComputationGraph folded = BatchNormFolding.fold(net);

        assertEquals(21, BatchNormFolding.foldable(net).size(), "19 convolutions + 2 projections");
        assertFalse(Layers.names(folded).stream().anyMatch(n -> n.endsWith(".bn")));
        assertTrue(folded.numParams() < net.numParams());
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 16, 16);
        INDArray expected = net.outputSingle(false, x);
        assertTrue(
                expected.sub(folded.outputSingle(false, x)).amaxNumber().doubleValue() < 1e-5,
                "max difference " + expected.sub(folded.outputSingle(false, x)).amaxNumber());
        assertEquals(expected, net.outputSingle(false, x), "the original network is unchanged");
    }

    @Test
    void aChainWithBiasedConvolutionsAndDenseBatchNormFoldsToo() {
        ComputationGraph net = trainedLooking(
                ModelFactory.build(
                        Architecture.of(ArchitecturePreset.TEACHER),
                        new InputShape(1, 12, 12),
                        4,
                        TrainSettings.defaults()),
                2);
        ComputationGraph folded = BatchNormFolding.fold(net);
        assertEquals(
                Map.of("bn1", "conv1", "bn2", "conv2", "bn3", "conv3", "bn4", "conv4"), BatchNormFolding.foldable(net));
        assertEquals(
                List.of(
                        "conv1",
                        "relu1",
                        "conv2",
                        "relu2",
                        "pool1",
                        "conv3",
                        "relu3",
                        "conv4",
                        "relu4",
                        "pool2",
                        "dense1",
                        "dropout1",
                        "output"),
                Layers.names(folded));
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 1, 12, 12);
        assertTrue(net.outputSingle(false, x)
                        .sub(folded.outputSingle(false, x))
                        .amaxNumber()
                        .doubleValue()
                < 1e-5);
    }

    /** Fresh batch norms are identities; give them statistics and scales a trained network would have. */
    private static ComputationGraph trainedLooking(ComputationGraph net, long seed) {
        Random r = new Random(seed);
        for (String name : Layers.names(net)) {
            if (!(net.getLayer(name).conf().getLayer() instanceof BatchNormalization)) {
                continue;
            }
            for (Map.Entry<String, INDArray> p : net.getLayer(name).paramTable().entrySet()) {
                INDArray v = p.getValue();
                for (long i = 0; i < v.length(); i++) {
                    double u = r.nextDouble();
                    v.putScalar(
                            i,
                            switch (p.getKey()) {
                                case "gamma" -> 0.5 + u;
                                case "beta", "mean" -> u - 0.5;
                                case "log10stdev" -> Math.log10(0.5 + u);
                                default -> 0.5 + u;
                            });
                }
            }
        }
        for (String name : Layers.names(net)) {
            INDArray b = net.getLayer(name).paramTable().get("b");
            if (b != null) {
                b.assign(Nd4j.rand(DataType.FLOAT, b.shape()).subi(0.5));
            }
        }
        return net;
    }
}
