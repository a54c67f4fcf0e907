package dev.keiryo.engine.preview;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.compress.QuantSpec;
import dev.keiryo.engine.api.compress.UnitCriterion;
import dev.keiryo.engine.compress.prune.unit.UnitPruneSpec;
import dev.keiryo.engine.compress.prune.unit.UnitPruning;
import dev.keiryo.engine.compress.quant.Qat;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.DataBundle;
import dev.keiryo.engine.data.DataSources;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.Chains;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.Layers;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.train.TrainSettings;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

class LeanForwardTest {
    private static final InputShape IMAGE = new InputShape(1, 28, 28);
    private static DataBundle data;
    private static INDArray images;
    private static INDArray flat;

    @BeforeAll
    static void setUp() {
        data = DataSources.sample();
        Normalizer norm = Normalizer.fit(Normalizer.Kind.SCALE, data.train());
        images = batch(norm, true);
        flat = batch(norm, false);
    }

    private static INDArray batch(Normalizer norm, boolean imageShaped) {
        ArrayDataSetIterator it = ArrayDataSetIterator.builder(data.test())
                .normalization(norm)
                .batchSize(300)
                .shuffle(false)
                .imageShaped(imageShaped)
                .build();
        return it.next().getFeatures();
    }

    private static ComputationGraph preset(ArchitecturePreset p, double width) {
        return ModelFactory.build(new Architecture(p, width, null, 0.0), IMAGE, 10, TrainSettings.defaults());
    }

    /** The lean pass must give the network's own outputs (up to float rounding), whichever input layout it is fed. */
    private static void assertSameAsNetwork(ComputationGraph net, INDArray... inputs) {
        LeanForward lean = LeanForward.of(net).orElseThrow(() -> new AssertionError("not covered: " + net.summary()));
        for (INDArray x : inputs) {
            INDArray expected = net.outputSingle(false, x);
            INDArray got = Transforms.softmax(lean.logits(LeanForward.prepare(x)), true);
            assertEquals(0.0, expected.sub(got).amaxNumber().doubleValue(), 1e-5);
            assertArrayEquals(expected.argMax(1).toLongVector(), lean.predict(LeanForward.prepare(x)));
        }
    }

    @Test
    void lenet5AndLenet300GiveTheNetworksOutputs() {
        assertSameAsNetwork(preset(ArchitecturePreset.LENET5, 1.0), images);
        assertSameAsNetwork(preset(ArchitecturePreset.LENET300, 1.0), flat);
    }

    @Test
    void aUnitPrunedNetworkWithOddChannelCountsIsCovered() {
        ComputationGraph net = preset(ArchitecturePreset.LENET5, 1.0);
        ComputationGraph shrunk =
                UnitPruning.shrink(net, UnitPruning.plan(net, UnitPruneSpec.allHidden(0.37, UnitCriterion.L1), null));
        assertTrue(shrunk.numParams() < net.numParams());
        assertSameAsNetwork(shrunk, images);
    }

    @Test
    void sameModeStridesAveragePoolingDropoutAndFlatInputAreCovered() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nOut(6)
                        .stride(2, 2)
                        .convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nOut(5)
                        .stride(1, 2)
                        .activation(Activation.RELU)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(1, 1)
                        .convolutionMode(ConvolutionMode.Same)
                        .build())
                .layer(new DropoutLayer.Builder(0.5).build())
                .layer(new DenseLayer.Builder()
                        .nOut(17)
                        .activation(Activation.SIGMOID)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
        ComputationGraph net = new ComputationGraph(Chains.toGraph(conf));
        net.init();
        assertSameAsNetwork(net, flat, images);
    }

    @Test
    void weightsChangedInPlaceAreSeenOnTheNextCall() {
        ComputationGraph net = preset(ArchitecturePreset.LENET5, 0.5);
        LeanForward lean = LeanForward.of(net).orElseThrow();
        INDArray before = lean.logits(LeanForward.prepare(images));
        Layers.at(net, 0).getParam("W").muli(-3);
        INDArray after = lean.logits(LeanForward.prepare(images));
        assertTrue(before.sub(after).amaxNumber().doubleValue() > 1e-3);
        assertSameAsNetwork(net, images);
    }

    @Test
    void networksItDoesNotCoverAreLeftToTheirOwnOutput() {
        assertTrue(LeanForward.of(preset(ArchitecturePreset.TEACHER, 0.25)).isEmpty(), "batch norm is not covered");
        ComputationGraph qat = Qat.attach(preset(ArchitecturePreset.LENET300, 0.5), QuantSpec.affine(4));
        assertTrue(LeanForward.of(qat).isEmpty(), "weight noise changes the forward pass");
    }

    @Test
    void previewSubsetAccuracyIsTheSameEitherWay() {
        ComputationGraph net = preset(ArchitecturePreset.LENET5, 1.0);
        PreviewSubset subset = new PreviewSubset(
                data.test(),
                new dev.keiryo.engine.model.ModelMeta(
                        1,
                        "lenet5",
                        IMAGE,
                        true,
                        10,
                        java.util.List.of(),
                        Normalizer.fit(Normalizer.Kind.SCALE, data.train())),
                600);
        assertEquals(subset.accuracy(net, null, () -> false), subset.accuracy(net, () -> false), 1e-12);
    }
}
