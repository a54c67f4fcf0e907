package dev.keiryo.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import dev.keiryo.engine.api.compress.QuantSpec;
import dev.keiryo.engine.compress.prune.connection.ConnectionPruning;
import dev.keiryo.engine.compress.prune.connection.MaskConstraint;
import dev.keiryo.engine.compress.quant.Qat;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelFactory;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** The fast dense step against DL4J's fit, the reference: same scores, same parameters. */
class DenseChainStepTest {
    private static final InputShape MNIST = new InputShape(1, 28, 28);

    @Test
    void lenet300TrainsAsDl4jDoes() {
        ComputationGraph reference =
                ModelFactory.build(Architecture.of(ArchitecturePreset.LENET300), MNIST, 10, TrainSettings.defaults());
        ComputationGraph fast = reference.clone();
        assertSame(reference, fast, batches(784, 10, 32, 12, 1), 1e-4);
    }

    @Test
    void otherActivationsRegularizationAndAShortLastBatchTrainAsDl4jDoes() {
        ComputationGraph reference = custom();
        ComputationGraph fast = reference.clone();
        DataSet[] data = batches(20, 4, 16, 10, 2);
        data[9] = batches(20, 4, 5, 1, 3)[0];
        assertSame(reference, fast, data, 1e-4);
    }

    @Test
    void prunedConnectionsStayZero() {
        ComputationGraph net =
                ModelFactory.build(Architecture.of(ArchitecturePreset.LENET300), MNIST, 10, TrainSettings.defaults());
        ComputationGraph pruned =
                ConnectionPruning.apply(net, ConnectionPruning.plan(net, ConnectionPruneSpec.global(0.6)));
        TrainingStep step = TrainingStep.of(pruned);
        for (DataSet ds : batches(784, 10, 32, 5, 4)) {
            assertTrue(step.fast(ds));
            step.fit(ds);
        }
        long masked = 0;
        for (org.deeplearning4j.nn.api.Layer l : pruned.getLayers()) {
            for (var c : l.conf().getLayer().getConstraints()) {
                MaskConstraint m = (MaskConstraint) c;
                INDArray off = m.mask().rsub(1).castTo(DataType.FLOAT).dup('c');
                masked += off.sumNumber().longValue();
                INDArray p = l.getParam(m.param()).dup('c');
                assertEquals(
                        0.0,
                        p.mul(off).amaxNumber().doubleValue(),
                        "pruned weights of " + l.conf().getLayer().getLayerName());
            }
        }
        assertTrue(masked > 150_000, "pruning masked " + masked + " weights");
    }

    @Test
    void networksItDoesNotCoverTrainThroughDl4j() {
        ComputationGraph qat = Qat.attach(
                ModelFactory.build(Architecture.of(ArchitecturePreset.LENET300), MNIST, 10, TrainSettings.defaults()),
                QuantSpec.affine(8));
        assertTrue(DenseChainStep.of(qat).isEmpty(), "weight noise of quantization-aware training");
        ComputationGraph dropout = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.FLOAT)
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "d",
                        new DenseLayer.Builder().nIn(4).nOut(3).dropOut(0.5).build(),
                        "in")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunction.MCXENT)
                                .nIn(3)
                                .nOut(2)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "d")
                .setOutputs("out")
                .build());
        dropout.init();
        assertTrue(DenseChainStep.of(dropout).isEmpty(), "dropout");
    }

    @Test
    void theReferencePathCanBeChosen() {
        ComputationGraph net =
                ModelFactory.build(Architecture.of(ArchitecturePreset.LENET300), MNIST, 10, TrainSettings.defaults());
        DataSet ds = batches(784, 10, 8, 1, 5)[0];
        assertTrue(TrainingStep.of(net).fast(ds));
        System.setProperty(TrainingStep.DISABLE_PROPERTY, "false");
        try {
            assertFalse(TrainingStep.of(net).fast(ds));
        } finally {
            System.clearProperty(TrainingStep.DISABLE_PROPERTY);
        }
    }

    /** Dense layers of every activation the fast paths compute, with regularization. */
    static ComputationGraph custom() {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(new Nesterovs(0.05, 0.9))
                .weightDecay(1e-3)
                .l2(1e-4)
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "a",
                        new DenseLayer.Builder()
                                .nIn(20)
                                .nOut(12)
                                .activation(Activation.TANH)
                                .build(),
                        "in")
                .addLayer(
                        "b",
                        new DenseLayer.Builder()
                                .nIn(12)
                                .nOut(9)
                                .activation(Activation.SIGMOID)
                                .build(),
                        "a")
                .addLayer(
                        "c",
                        new DenseLayer.Builder()
                                .nIn(9)
                                .nOut(7)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "b")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunction.NEGATIVELOGLIKELIHOOD)
                                .nIn(7)
                                .nOut(4)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "c")
                .setOutputs("out")
                .build());
        net.init();
        return net;
    }

    /** Trains both on the same minibatches, one by DL4J's fit, one by the fast step, and compares as they go. */
    static void assertSame(ComputationGraph reference, ComputationGraph fast, DataSet[] data, double tolerance) {
        TrainingStep step = TrainingStep.of(fast);
        for (int i = 0; i < data.length; i++) {
            assertTrue(step.fast(data[i]), "the fast step covers this network");
            reference.fit(data[i]);
            double score = step.fit(data[i]);
            assertEquals(reference.score(), score, tolerance * Math.max(1, Math.abs(score)), "score of minibatch " + i);
            assertEquals(score, fast.score(), 0.0, "the network's own score");
        }
        assertEquals(
                reference.getConfiguration().getIterationCount(),
                fast.getConfiguration().getIterationCount());
        assertSameState(reference, fast, data[0].getFeatures(), tolerance);
    }

    /** Parameters, and outputs for {@code in}, of the two networks within {@code tolerance}. */
    static void assertSameState(ComputationGraph reference, ComputationGraph fast, INDArray in, double tolerance) {
        double diff = reference.params().sub(fast.params()).amaxNumber().doubleValue();
        assertTrue(diff < tolerance, "parameters differ by up to " + diff);
        double out = reference
                .outputSingle(in)
                .sub(fast.outputSingle(in))
                .amaxNumber()
                .doubleValue();
        assertTrue(out < tolerance, "outputs differ by up to " + out);
    }

    private static DataSet[] batches(int features, int classes, int rows, int count, long seed) {
        Nd4j.getRandom().setSeed(seed);
        DataSet[] out = new DataSet[count];
        for (int b = 0; b < count; b++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, rows, features);
            INDArray y = Nd4j.zeros(DataType.FLOAT, rows, classes);
            for (int r = 0; r < rows; r++) {
                y.putScalar(r, (r * 7 + b) % classes, 1f);
            }
            out[b] = new DataSet(x, y);
        }
        return out;
    }
}
