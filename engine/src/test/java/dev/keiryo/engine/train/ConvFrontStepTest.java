package dev.keiryo.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelFactory;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** The fast step with convolutions in front against DL4J's fit, the reference. */
class ConvFrontStepTest {
    @Test
    void lenet5TrainsAsDl4jDoes() {
        ComputationGraph reference = ModelFactory.build(
                Architecture.of(ArchitecturePreset.LENET5), new InputShape(1, 28, 28), 10, TrainSettings.defaults());
        ComputationGraph fast = reference.clone();
        DataSet[] data = images(1, 28, 10, 24, 6, 1);
        data[5] = images(1, 28, 10, 7, 1, 2)[0];
        DenseChainStepTest.assertSame(reference, fast, data, 1e-4);
    }

    @Test
    void colourImagesReluConvolutionsWithoutPoolingAndAnotherUpdaterTrainAsDl4jDoes() {
        ComputationGraph reference = custom(ConvolutionMode.Truncate, 1);
        ComputationGraph fast = reference.clone();
        DenseChainStepTest.assertSame(reference, fast, images(3, 12, 3, 10, 8, 3), 1e-4);
    }

    @Test
    void activationLayersOfTheirOwnAsImportedModelsHaveTrainAsDl4jDoes() {
        ComputationGraph reference = imported();
        assertTrue(DenseChainStep.of(reference).isPresent(), "the fast step covers ReLU layers of their own");
        ComputationGraph fast = reference.clone();
        DenseChainStepTest.assertSame(reference, fast, images(1, 14, 4, 18, 6, 6), 1e-4);
    }

    @Test
    void windowsThatTieOnlyOnceTheBiasIsAddedAndWideWindowsTrainAsDl4jDoes() {
        // tiny inputs and a bias of 1: rounding makes entries of a window equal only after the bias
        ComputationGraph reference = pooled(12, 3, 2, 1.0);
        DataSet[] small = images(1, 12, 3, 10, 4, 7);
        for (DataSet d : small) {
            d.getFeatures().muli(1e-3);
        }
        DenseChainStepTest.assertSame(reference, reference.clone(), small, 1e-4);
        // a 12x12 window: positions up to 143 kept as unsigned bytes
        ComputationGraph wide = pooled(14, 3, 12, 0.0);
        DenseChainStepTest.assertSame(wide, wide.clone(), images(1, 14, 3, 10, 4, 8), 1e-4);
    }

    @Test
    void convolutionsItDoesNotComputeTrainThroughDl4j() {
        assertTrue(DenseChainStep.of(custom(ConvolutionMode.Same, 1)).isEmpty(), "padding");
        assertTrue(DenseChainStep.of(custom(ConvolutionMode.Truncate, 2)).isEmpty(), "stride 2");
        ComputationGraph teacher = ModelFactory.build(
                Architecture.of(ArchitecturePreset.TEACHER), new InputShape(1, 28, 28), 10, TrainSettings.defaults());
        assertTrue(DenseChainStep.of(teacher).isEmpty(), "batch norm");
    }

    @Test
    void imagesOfAnotherShapeTrainThroughDl4j() {
        ComputationGraph net = ModelFactory.build(
                Architecture.of(ArchitecturePreset.LENET5), new InputShape(1, 28, 28), 10, TrainSettings.defaults());
        TrainingStep step = TrainingStep.of(net);
        assertTrue(step.fast(images(1, 28, 10, 4, 1, 4)[0]));
        DataSet flat = images(1, 28, 10, 4, 1, 4)[0];
        flat.setFeatures(flat.getFeatures().reshape(4, 784));
        assertEquals(false, step.fast(flat), "rows instead of images");
        ConvFront front = ConvFrontInspection.inspect(net).orElseThrow();
        assertEquals(4L * 128 * (25 * 576 + 500 * 64), front.keptBytes(128, 28, 28), "LeNet-5's unrolled inputs");
        long tooMany = ConvFront.KEPT_BYTES / front.keptBytes(1, 28, 28) + 1;
        INDArray huge = Nd4j.zeros(DataType.FLOAT, tooMany, 1, 28, 28);
        assertEquals(
                false,
                step.fast(new DataSet(huge, Nd4j.zeros(DataType.FLOAT, tooMany, 10))),
                "a minibatch whose unrolled inputs exceed the budget");
        assertEquals(false, step.fast(images(1, 8, 10, 4, 1, 5)[0]), "images too small for the layers");
    }

    /**
     * A 3-channel 12x12 input, a ReLU convolution with pooling, an identity one without, a dense
     * layer, and Nesterov momentum with L2, which go through the network's own updater.
     */
    private static ComputationGraph custom(ConvolutionMode mode, int stride) {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .seed(11)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(new Nesterovs(0.05, 0.9))
                .l2(1e-4)
                .convolutionMode(mode)
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "c1",
                        new ConvolutionLayer.Builder(3, 3)
                                .stride(stride, stride)
                                .nOut(4)
                                .activation(Activation.RELU)
                                .build(),
                        "in")
                .addLayer(
                        "p1",
                        new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                                .kernelSize(2, 2)
                                .stride(2, 2)
                                .build(),
                        "c1")
                .addLayer(
                        "c2",
                        new ConvolutionLayer.Builder(2, 2)
                                .nOut(5)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "p1")
                .addLayer(
                        "d",
                        new DenseLayer.Builder()
                                .nOut(6)
                                .activation(Activation.RELU)
                                .build(),
                        "c2")
                .addLayer("out", softmax(3), "d")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(12, 12, 3))
                .build());
        net.init();
        return net;
    }

    /**
     * A LeNet-5 as the ONNX importer builds one from PyTorch: convolutions, poolings and dense
     * layers without activations, each ReLU a layer of its own (here before a pooling, after one,
     * and after a dense layer).
     */
    private static ComputationGraph imported() {
        ComputationGraph net = new ComputationGraph(adam(5).addLayer(
                        "c1",
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(4)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "in")
                .addLayer(
                        "r1",
                        new ActivationLayer.Builder()
                                .activation(Activation.RELU)
                                .build(),
                        "c1")
                .addLayer("p1", pool2(), "r1")
                .addLayer(
                        "c2",
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(6)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "p1")
                .addLayer("p2", pool2(), "c2")
                .addLayer(
                        "r2",
                        new ActivationLayer.Builder()
                                .activation(Activation.RELU)
                                .build(),
                        "p2")
                .addLayer(
                        "d",
                        new DenseLayer.Builder()
                                .nOut(8)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "r2")
                .addLayer(
                        "r3",
                        new ActivationLayer.Builder()
                                .activation(Activation.RELU)
                                .build(),
                        "d")
                .addLayer("out", softmax(4), "r3")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(14, 14, 1))
                .build());
        net.init();
        return net;
    }

    /** One convolution (3x3, 4 filters, the given bias) and a max pooling of {@code window}, on {@code side}-wide images. */
    private static ComputationGraph pooled(int side, int kernel, int window, double bias) {
        ComputationGraph net = new ComputationGraph(adam(3).addLayer(
                        "c",
                        new ConvolutionLayer.Builder(kernel, kernel)
                                .nOut(4)
                                .biasInit(bias)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "in")
                .addLayer(
                        "p",
                        new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                                .kernelSize(window, window)
                                .stride(window, window)
                                .build(),
                        "c")
                .addLayer("out", softmax(3), "p")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(side, side, 1))
                .build());
        net.init();
        assertTrue(DenseChainStep.of(net).isPresent(), "the fast step covers a " + window + "x" + window + " pooling");
        return net;
    }

    /** A graph with input "in", Xavier initialisation and Adam 1e-2, seeded. */
    private static org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder adam(long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(new org.nd4j.linalg.learning.config.Adam(1e-2))
                .graphBuilder()
                .addInputs("in");
    }

    private static OutputLayer softmax(int classes) {
        return new OutputLayer.Builder(LossFunction.MCXENT)
                .nOut(classes)
                .activation(Activation.SOFTMAX)
                .build();
    }

    private static SubsamplingLayer pool2() {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .kernelSize(2, 2)
                .stride(2, 2)
                .build();
    }

    /**
     * Random images with a blank border, as photographs of clothes have: the border makes pooling
     * windows whose values tie, which must pass their gradient on as DL4J does.
     */
    private static DataSet[] images(int channels, int side, int classes, int rows, int count, long seed) {
        Nd4j.getRandom().setSeed(seed);
        DataSet[] out = new DataSet[count];
        int border = side / 7;
        for (int b = 0; b < count; b++) {
            INDArray x = Nd4j.zeros(DataType.FLOAT, rows, channels, side, side);
            x.get(
                            NDArrayIndex.all(),
                            NDArrayIndex.all(),
                            NDArrayIndex.interval(border, side - border),
                            NDArrayIndex.interval(border, side - border))
                    .assign(Nd4j.rand(DataType.FLOAT, rows, channels, side - 2 * border, side - 2 * border));
            INDArray y = Nd4j.zeros(DataType.FLOAT, rows, classes);
            for (int r = 0; r < rows; r++) {
                y.putScalar(r, (r * 7 + b) % classes, 1f);
            }
            out[b] = new DataSet(x, y);
        }
        return out;
    }
}
