package dev.keiryo.engine.compress.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.QuantSpec;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.BatchNormFolding;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.Layers;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Quantization-aware training: quantized forward, float updates (straight-through), exact freeze. */
class QatTest {

    @ParameterizedTest
    @EnumSource(
            value = ArchitecturePreset.class,
            names = {"LENET300", "LENET5", "RESNET20"})
    void forwardUsesTheQuantizedWeights(ArchitecturePreset preset) {
        KeiryoModel m = QuantizerTest.model(preset);
        QuantSpec spec = QuantSpec.affine(2).withPerChannel(true);
        INDArray x = QuantizerTest.input(preset);
        INDArray expected = Quantizer.quantize(m.net(), spec).outputSingle(x);
        // batch norm folded first, as the quantizer and the quantize step do
        ComputationGraph qat = Qat.attach(BatchNormFolding.fold(m.net()), spec);
        assertTrue(Qat.attached(qat));
        assertEquals(0, expected.sub(qat.outputSingle(x)).amaxNumber().doubleValue(), 1e-6);
        assertNotEquals(
                0,
                expected.sub(m.net().outputSingle(x)).amaxNumber().doubleValue(),
                1e-3,
                "2 bits must change the outputs");
    }

    @Test
    void trainingUpdatesFloatWeightsAndFreezingKeepsTheTrainedOutputs() {
        KeiryoModel m = QuantizerTest.model(ArchitecturePreset.LENET300);
        QuantSpec spec = QuantSpec.affine(3).withPerChannel(true);
        ComputationGraph net = Qat.attach(m.net().clone(), spec);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 64, 784);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 64, 10);
        for (int i = 0; i < 64; i++) {
            y.putScalar(i, i % 10, 1f);
        }
        DataSet batch = new DataSet(x, y);
        double before = net.score(batch);
        for (int i = 0; i < 30; i++) {
            net.fit(batch);
        }
        double after = net.score(batch);
        assertTrue(after < before * 0.8, "QAT loss must fall: " + before + " -> " + after);
        // The float weights move freely between the 3-bit levels: many more distinct values than 2^3 per column.
        float[] w = Layers.at(net, 0).getParam("W").getColumn(0).toFloatVector();
        assertTrue(Arrays.stream(box(w)).distinct().count() > 8);
        INDArray trained = net.outputSingle(x);
        Qat.detach(net);
        assertFalse(Qat.attached(net));
        assertEquals(
                0,
                trained.sub(Quantizer.quantize(net, spec).outputSingle(x))
                        .amaxNumber()
                        .doubleValue(),
                1e-6);
    }

    @Test
    void theQuantizerTravelsWithTheConfiguration() {
        ComputationGraph net = Qat.attach(
                QuantizerTest.model(ArchitecturePreset.LENET5).net().clone(),
                QuantSpec.ternary().withPerChannel(true));
        ComputationGraphConfiguration copy =
                ComputationGraphConfiguration.fromJson(net.getConfiguration().toJson());
        BaseLayer first = (BaseLayer)
                ((LayerVertex) copy.getVertices().get("conv1")).getLayerConf().getLayer();
        assertEquals(new QuantNoise(QuantSpec.ternary().withPerChannel(true)), first.getWeightNoise());
        assertTrue(Qat.attached(net.clone()));
    }

    @Test
    void codebooksAreRejectedWithAReason() {
        KeiryoException e = assertThrows(
                KeiryoException.class,
                () -> Qat.attach(
                        QuantizerTest.model(ArchitecturePreset.LENET300).net().clone(), QuantSpec.codebook(4)));
        assertTrue(e.getMessage().contains("affine"), e.getMessage());
    }

    private static Float[] box(float[] v) {
        Float[] b = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i];
        }
        return b;
    }
}
