package dev.keiryo.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelFactory;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Batch norm in Java against DL4J's own helper (oneDNN), on ResNet-20 trained a few steps. */
class BatchNormKernelsTest {
    @Test
    void resnet20TrainsAsWithDl4jsBatchNorm() {
        ComputationGraph reference = smallResnet();
        ComputationGraph fast = reference.clone();
        TrainingStep step = TrainingStep.of(fast);
        int installed = 0;
        for (Layer l : fast.getLayers()) {
            if (l instanceof BatchNormalization bn) {
                assertTrue(
                        bn.getHelper() instanceof BatchNormKernels,
                        "helper of " + bn.layerConf().getLayerName());
                installed++;
            }
        }
        assertEquals(21, installed, "batch-norm layers of ResNet-20, projections included");
        DataSet[] data = images(7, 4, 11);
        for (int i = 0; i < data.length; i++) {
            reference.fit(data[i]);
            double score = step.fit(data[i]);
            assertEquals(reference.score(), score, 1e-4 * Math.max(1, Math.abs(score)), "score of minibatch " + i);
        }
        // the running means and variances are parameters too
        DenseChainStepTest.assertSameState(reference, fast, data[0].getFeatures(), 1e-4);
    }

    @Test
    void activationsNotInOneBlockGoToDl4jsHelper() {
        ComputationGraph net = smallResnet();
        BatchNormalization layer = (BatchNormalization) net.getLayer("stem.bn");
        BatchNormalizationHelper dl4j = (BatchNormalizationHelper) layer.getHelper();
        TrainingStep.of(net);
        BatchNormalizationHelper own = (BatchNormalizationHelper) layer.getHelper();
        assertTrue(own instanceof BatchNormKernels);
        int c = (int) layer.getParam("gamma").length();
        INDArray strided = Nd4j.rand(DataType.FLOAT, 4, c, 6, 12).get(all(), all(), all(), interval(0, 6));
        INDArray gamma = Nd4j.rand(DataType.FLOAT, 1, c);
        INDArray beta = Nd4j.rand(DataType.FLOAT, 1, c);
        INDArray expected = forward(dl4j, strided, gamma, beta);
        INDArray actual = forward(own, strided, gamma, beta);
        assertEquals(expected, actual);
        assertEquals(
                dl4j.getMeanCache(DataType.FLOAT),
                own.getMeanCache(DataType.FLOAT),
                "the helper that ran keeps the statistics");
    }

    private static ComputationGraph smallResnet() {
        return ModelFactory.build(
                new Architecture(ArchitecturePreset.RESNET20, 0.25, null, 0.0),
                new InputShape(3, 12, 12),
                5,
                TrainSettings.defaults());
    }

    /** A training-mode forward pass of {@code helper} with decay 0.9 and epsilon 1e-5. */
    private static INDArray forward(BatchNormalizationHelper helper, INDArray x, INDArray gamma, INDArray beta) {
        return helper.preOutput(
                x,
                true,
                x.shape(),
                gamma,
                beta,
                null,
                null,
                0.9,
                1e-5,
                CNN2DFormat.NCHW,
                LayerWorkspaceMgr.noWorkspaces());
    }

    private static DataSet[] images(int rows, int count, long seed) {
        Nd4j.getRandom().setSeed(seed);
        DataSet[] out = new DataSet[count];
        for (int b = 0; b < count; b++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, rows, 3, 12, 12).muli(2).subi(0.5);
            INDArray y = Nd4j.zeros(DataType.FLOAT, rows, 5);
            for (int r = 0; r < rows; r++) {
                y.putScalar(r, (r * 3 + b) % 5, 1f);
            }
            out[b] = new DataSet(x, y);
        }
        return out;
    }
}
