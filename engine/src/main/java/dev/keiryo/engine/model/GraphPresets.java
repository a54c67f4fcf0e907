package dev.keiryo.engine.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** The presets that are graphs by nature: ResNet-20 (residual sums) and a small VGG. */
final class GraphPresets {
    /** VGG-small halves the image this many times. */
    static final int VGG_POOLS = 3;

    private GraphPresets() {}

    /**
     * He et al.'s CIFAR ResNet-20 (Deep Residual Learning, 2015, section 4.2): a 3x3 convolution
     * with 16 filters, three stages of three basic blocks at 16, 32 and 64 filters (the first block
     * of stages 2 and 3 halves the size with stride 2), global average pooling and a softmax layer.
     * Where a block changes the shape, its shortcut is a 1x1 convolution with batch norm (the
     * paper's option B); elsewhere it is the identity. Convolutions before batch norm have no bias
     * (batch norm's beta takes that role), as in the paper's parameter count.
     */
    static ComputationGraphConfiguration resnet20(
            NeuralNetConfiguration.Builder base, Architecture spec, InputShape input, int numClasses) {
        GraphBuilder g = graph(base, input);
        int[] widths = {spec.scaled(16), spec.scaled(32), spec.scaled(64)};
        String x = convBnRelu(g, "stem", Chains.INPUT, widths[0], 3, 1);
        int channels = widths[0];
        for (int stage = 0; stage < widths.length; stage++) {
            for (int block = 0; block < 3; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                x = basicBlock(g, "s" + (stage + 1) + "b" + (block + 1), x, channels, widths[stage], stride);
                channels = widths[stage];
            }
        }
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
        return finish(g, "pool", numClasses);
    }

    /**
     * A VGG-style network for small colour images: two 3x3 convolutions with batch norm and ReLU
     * per stage at 32, 64 and 128 filters, each stage ending in 2x2 max pooling, then global
     * average pooling and a softmax layer (about 0.29 M parameters at width 1).
     */
    static ComputationGraphConfiguration vggSmall(
            NeuralNetConfiguration.Builder base, Architecture spec, InputShape input, int numClasses) {
        GraphBuilder g = graph(base, input);
        String x = Chains.INPUT;
        int[] widths = {spec.scaled(32), spec.scaled(64), spec.scaled(128)};
        for (int stage = 0; stage < VGG_POOLS; stage++) {
            String s = "s" + (stage + 1);
            x = convBnRelu(g, s + ".conv1", x, widths[stage], 3, 1);
            x = convBnRelu(g, s + ".conv2", x, widths[stage], 3, 1);
            g.addLayer(
                    s + ".pool",
                    new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                            .kernelSize(2, 2)
                            .stride(2, 2)
                            .build(),
                    x);
            x = s + ".pool";
        }
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
        return finish(g, "pool", numClasses);
    }

    private static GraphBuilder graph(NeuralNetConfiguration.Builder base, InputShape input) {
        return base.graphBuilder()
                .addInputs(Chains.INPUT)
                .setInputTypes(InputType.convolutional(input.height(), input.width(), input.channels()));
    }

    private static ComputationGraphConfiguration finish(GraphBuilder g, String last, int numClasses) {
        g.addLayer(
                        "output",
                        new OutputLayer.Builder(LossFunction.MCXENT)
                                .nOut(numClasses)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        last)
                .setOutputs("output");
        return g.build();
    }

    private static String basicBlock(GraphBuilder g, String name, String in, int inChannels, int out, int stride) {
        String a = convBnRelu(g, name + ".conv1", in, out, 3, stride);
        String b = convBn(g, name + ".conv2", a, out, 3, 1);
        String shortcut = inChannels == out && stride == 1 ? in : convBn(g, name + ".proj", in, out, 1, stride);
        g.addVertex(name + ".add", new ElementWiseVertex(ElementWiseVertex.Op.Add), b, shortcut);
        g.addLayer(name + ".relu", relu(), name + ".add");
        return name + ".relu";
    }

    /** A convolution {@code name}, its batch norm {@code name.bn} and ReLU {@code name.relu}. */
    private static String convBnRelu(GraphBuilder g, String conv, String in, int filters, int k, int stride) {
        String bn = convBn(g, conv, in, filters, k, stride);
        String r = conv + ".relu";
        g.addLayer(r, relu(), bn);
        return r;
    }

    private static String convBn(GraphBuilder g, String conv, String in, int filters, int k, int stride) {
        g.addLayer(
                conv,
                new ConvolutionLayer.Builder(k, k)
                        .stride(stride, stride)
                        .convolutionMode(ConvolutionMode.Same)
                        .nOut(filters)
                        .hasBias(false)
                        .weightInit(WeightInit.RELU)
                        .activation(Activation.IDENTITY)
                        .build(),
                in);
        String bn = conv + ".bn";
        g.addLayer(bn, new BatchNormalization.Builder().build(), conv);
        return bn;
    }

    private static ActivationLayer relu() {
        return new ActivationLayer.Builder().activation(Activation.RELU).build();
    }
}
