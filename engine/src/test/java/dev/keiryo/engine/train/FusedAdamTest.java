package dev.keiryo.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelFactory;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/** The Java Adam step against ND4J's native op, and installed in a real network. */
class FusedAdamTest {

    @Test
    void matchesTheNativeOpOnStateViewsWithOffsets() {
        int n = 1003;
        Adam config = new Adam(3e-3);
        AdamUpdater nativeOp = new AdamUpdater(config);
        nativeOp.setStateViewArray(Nd4j.zeros(DataType.FLOAT, 1, 2L * n), new long[] {1, n}, 'f', true);
        AdamUpdater javaOp = fused(config, n);
        for (int it = 0; it < 6; it++) {
            INDArray g = Nd4j.randn(DataType.FLOAT, 1, n).muli(it + 1);
            INDArray gNative = g.dup();
            INDArray gJava = g.dup();
            nativeOp.applyUpdater(gNative, it, 0);
            javaOp.applyUpdater(gJava, it, 0);
            assertClose(gNative, gJava);
            assertClose(nativeOp.getM(), javaOp.getM());
            assertClose(nativeOp.getV(), javaOp.getV());
        }
    }

    @Test
    void installedNetworkTrainsLikeNativeAdamAndKeepsItsStateArray() {
        TrainSettings s = new TrainSettings(Updaters.ADAM, 1e-2, 32, 1, DataType.FLOAT, 0, 0, 1, 11);
        ComputationGraph plain = net(s);
        ComputationGraph fused = net(s);
        INDArray stateBefore = fused.getUpdater().getStateViewArray();
        FusedAdam.install(fused);
        FusedAdam.install(fused);
        for (UpdaterBlock b : ((BaseMultiLayerUpdater<?>) fused.getUpdater()).getUpdaterBlocks()) {
            assertEquals(FusedAdam.class, b.getGradientUpdater().getClass());
        }
        assertSame(stateBefore, fused.getUpdater().getStateViewArray());
        ArrayDataSetIterator a = ArrayDataSetIterator.builder(TrainerTest.blobs())
                .batchSize(32)
                .seed(5)
                .build();
        ArrayDataSetIterator b = ArrayDataSetIterator.builder(TrainerTest.blobs())
                .batchSize(32)
                .seed(5)
                .build();
        while (a.hasNext()) {
            plain.fit(a.next());
            fused.fit(b.next());
        }
        assertClose(plain.params(), fused.params());
        assertClose(plain.getUpdater().getStateViewArray(), fused.getUpdater().getStateViewArray());
        assertTrue(fused.getUpdater().getStateViewArray().sumNumber().doubleValue() != 0, "Adam's state moved");
    }

    @Test
    void leavesOtherUpdatersAndPrecisionsToDl4j() {
        TrainSettings sgd = new TrainSettings(Updaters.SGD, 1e-2, 32, 1, DataType.FLOAT, 0, 0, 1, 11);
        ComputationGraph net = net(sgd);
        FusedAdam.install(net);
        for (UpdaterBlock b : ((BaseMultiLayerUpdater<?>) net.getUpdater()).getUpdaterBlocks()) {
            GradientUpdater<?> u = b.getGradientUpdater();
            assertTrue(!(u instanceof FusedAdam), "SGD stays SGD");
        }
        int n = 50;
        Adam config = new Adam(1e-3);
        AdamUpdater nativeOp = new AdamUpdater(config);
        nativeOp.setStateViewArray(Nd4j.zeros(DataType.DOUBLE, 1, 2L * n), new long[] {1, n}, 'f', true);
        AdamUpdater javaOp = fused(config, n, DataType.DOUBLE);
        INDArray g = Nd4j.randn(DataType.DOUBLE, 1, n);
        INDArray gNative = g.dup();
        INDArray gJava = g.dup();
        nativeOp.applyUpdater(gNative, 0, 0);
        javaOp.applyUpdater(gJava, 0, 0);
        assertArrayEquals(gNative.toDoubleVector(), gJava.toDoubleVector(), 0, "double precision uses the op itself");
    }

    private static AdamUpdater fused(Adam config, int n) {
        return fused(config, n, DataType.FLOAT);
    }

    /** A FusedAdam built the way {@link FusedAdam#install} builds it, from an initialised AdamUpdater. */
    private static AdamUpdater fused(Adam config, int n, DataType type) {
        AdamUpdater original = new AdamUpdater(config);
        original.setStateViewArray(Nd4j.zeros(type, 1, 2L * n), new long[] {1, n}, 'f', true);
        return FusedAdam.replacing(original);
    }

    private static ComputationGraph net(TrainSettings s) {
        return ModelFactory.build(
                new Architecture(ArchitecturePreset.MLP, 1.0, List.of(16), 0), InputShape.flat(4), 3, s);
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        float[] e = expected.toFloatVector();
        float[] a = actual.toFloatVector();
        assertEquals(e.length, a.length);
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 2e-6 * Math.max(1, Math.abs(e[i])), "element " + i);
        }
    }
}
