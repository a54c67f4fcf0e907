package dev.keiryo.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.train.TrainSettings;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class BatchNormRecalibrationTest {
    private static final InputShape IN = new InputShape(3, 8, 8);

    /**
     * Measured on one batch, the running statistics are that batch's own, so inference on it
     * normalizes exactly as training mode does; before, the stale statistics did not.
     */
    @Test
    void statisticsMeasuredOnOneBatchMakeInferenceMatchTrainingMode() {
        Nd4j.getRandom().setSeed(5);
        ComputationGraph net = ModelFactory.build(
                new Architecture(ArchitecturePreset.RESNET20, 0.5, null, 0.0), IN, 4, TrainSettings.defaults());
        for (Layer l : net.getLayers()) {
            if (l.conf().getLayer() instanceof BatchNormalization) {
                l.getParam("mean").addi(0.7); // stale statistics, as after removing channels upstream
            }
        }
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 3, 8, 8).muli(3).subi(1);
        DataSet batch = new DataSet(x, Nd4j.zeros(DataType.FLOAT, 16, 4));
        INDArray training = net.feedForward(new INDArray[] {x}, true, false).get("output");
        assertTrue(maxDiff(training, net.outputSingle(false, x)) > 1e-2, "the stale statistics show");

        int read = BatchNormRecalibration.recalibrate(net, new ListDataSetIterator<>(List.of(batch), 16), 8);

        assertEquals(1, read);
        assertTrue(maxDiff(training, net.outputSingle(false, x)) < 1e-4);
    }

    @Test
    void weightsStayAndNetworksWithoutBatchNormAreLeftAlone() {
        ComputationGraph net = ModelFactory.build(
                Architecture.of(ArchitecturePreset.LENET5), new InputShape(1, 28, 28), 10, TrainSettings.defaults());
        assertFalse(BatchNormRecalibration.applies(net));
        INDArray before = net.params().dup();
        DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, 4, 1, 28, 28), Nd4j.zeros(DataType.FLOAT, 4, 10));
        assertEquals(0, BatchNormRecalibration.recalibrate(net, new ListDataSetIterator<>(List.of(batch), 4), 8));
        assertEquals(before, net.params());

        Nd4j.getRandom().setSeed(6);
        ComputationGraph res = ModelFactory.build(
                new Architecture(ArchitecturePreset.RESNET20, 0.25, null, 0.0), IN, 4, TrainSettings.defaults());
        Map<String, INDArray> w = Map.of("stem_W", res.getParam("stem_W").dup());
        BatchNormRecalibration.recalibrate(
                res,
                new ListDataSetIterator<>(
                        List.of(new DataSet(Nd4j.rand(DataType.FLOAT, 4, 3, 8, 8), Nd4j.zeros(DataType.FLOAT, 4, 4))),
                        4),
                8);
        assertEquals(w.get("stem_W"), res.getParam("stem_W"));
    }

    private static double maxDiff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }
}
