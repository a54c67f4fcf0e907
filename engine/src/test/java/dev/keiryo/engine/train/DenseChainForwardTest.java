package dev.keiryo.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.compress.QuantSpec;
import dev.keiryo.engine.compress.quant.Qat;
import dev.keiryo.engine.eval.Inference;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelFactory;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The dense inference pass against DL4J's output, the reference. */
class DenseChainForwardTest {
    private static final InputShape MNIST = new InputShape(1, 28, 28);

    @Test
    void lenet300GivesDl4jsProbabilities() {
        ComputationGraph net =
                ModelFactory.build(Architecture.of(ArchitecturePreset.LENET300), MNIST, 10, TrainSettings.defaults());
        INDArray x = Nd4j.rand(DataType.FLOAT, 300, 784);
        assertClose(net.outputSingle(false, x), Inference.output(net, x));
        // a block of rows of a larger matrix, as evaluation and latency pass them
        INDArray rows = x.get(NDArrayIndex.interval(100, 164), NDArrayIndex.all());
        assertClose(net.outputSingle(false, rows), Inference.output(net, rows));
        // column-major input goes through ND4J's product, same result
        INDArray f = x.dup('f');
        assertClose(net.outputSingle(false, f), Inference.output(net, f));
        INDArray one = x.get(NDArrayIndex.interval(7, 8), NDArrayIndex.all());
        assertClose(net.outputSingle(false, one), Inference.output(net, one));
    }

    @Test
    void everyActivationAndWeightsEditedInPlace() {
        ComputationGraph net = DenseChainStepTest.custom();
        INDArray x = Nd4j.rand(DataType.FLOAT, 33, 20).subi(0.5).muli(4);
        assertClose(net.outputSingle(false, x), Inference.output(net, x));
        // a pruning preview zeroes weights in place: the pass must see it
        net.getLayer("a")
                .getParam("W")
                .muli(Nd4j.rand(DataType.FLOAT, 20, 12).gt(0.5).castTo(DataType.FLOAT));
        net.getLayer("b").getParam("b").addi(0.3);
        assertClose(net.outputSingle(false, x), Inference.output(net, x));
    }

    @Test
    void quantizationAwareTrainingAndConvolutionsGoThroughDl4j() {
        ComputationGraph qat = Qat.attach(
                ModelFactory.build(Architecture.of(ArchitecturePreset.LENET300), MNIST, 10, TrainSettings.defaults()),
                QuantSpec.affine(8));
        assertFalse(DenseChainForward.of(qat).isPresent(), "fake quantization applies at inference too");
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 784);
        assertClose(qat.outputSingle(false, x), Inference.output(qat, x));
        ComputationGraph lenet5 =
                ModelFactory.build(Architecture.of(ArchitecturePreset.LENET5), MNIST, 10, TrainSettings.defaults());
        assertFalse(DenseChainForward.of(lenet5).isPresent(), "convolutions");
    }

    @Test
    void dl4jsPassCanBeChosen() {
        ComputationGraph net = DenseChainStepTest.custom();
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 20);
        System.setProperty(Inference.DISABLE_PROPERTY, "false");
        try {
            assertEquals(net.outputSingle(false, x), Inference.output(net, x));
        } finally {
            System.clearProperty(Inference.DISABLE_PROPERTY);
        }
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        double diff = expected.castTo(DataType.DOUBLE)
                .sub(actual.castTo(DataType.DOUBLE))
                .amaxNumber()
                .doubleValue();
        assertTrue(diff < 1e-5, "probabilities differ by up to " + diff);
    }
}
