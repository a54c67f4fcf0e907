package dev.keiryo.engine.model;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.train.TrainSettings;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Builds an initialised network for a preset, an input shape and the training settings. */
public final class ModelFactory {
    private ModelFactory() {}

    /** The preset as an initialised graph: chains as graphs with one path, ResNet and VGG as built. */
    public static ComputationGraph build(Architecture spec, InputShape input, int numClasses, TrainSettings train) {
        ComputationGraphConfiguration conf = switch (spec.preset()) {
            case RESNET20 -> GraphPresets.resnet20(base(train), spec, requireImage(spec, input, 1), numClasses);
            case VGG_SMALL ->
                GraphPresets.vggSmall(
                        base(train), spec, requireImage(spec, input, 1 << GraphPresets.VGG_POOLS), numClasses);
            default -> Chains.toGraph(chain(spec, input, numClasses, train));
        };
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static InputShape requireImage(Architecture spec, InputShape input, int minSide) {
        if (!input.isImage()) {
            throw new KeiryoException("model preset " + spec.preset().id() + " needs images (channels x height x"
                    + " width), but the data has rows of " + input.size() + " values; use lenet300 or mlp for"
                    + " tabular data.");
        }
        if (input.height() < minSide || input.width() < minSide) {
            throw new KeiryoException("model preset " + spec.preset().id() + " halves the image "
                    + Integer.numberOfTrailingZeros(minSide) + " times and needs at least " + minSide + "x"
                    + minSide + " pixels, but the images are " + input.height() + "x" + input.width()
                    + "; use larger images or the lenet5 preset.");
        }
        return input;
    }

    private static NeuralNetConfiguration.Builder base(TrainSettings train) {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(train.seed())
                .dataType(train.dataType())
                .weightInit(WeightInit.XAVIER)
                .updater(train.optimizer().updater(train.learningRate(), train.dataType() == TrainSettings.HALF));
        if (train.weightDecay() > 0) {
            base.weightDecay(train.weightDecay());
        }
        return base;
    }

    private static MultiLayerConfiguration chain(
            Architecture spec, InputShape input, int numClasses, TrainSettings train) {
        ListBuilder list = base(train).list();
        switch (spec.preset()) {
            case LENET300 -> dense(list, spec, spec.scaled(300), spec.scaled(100));
            case MLP ->
                dense(list, spec, spec.hidden().stream().mapToInt(spec::scaled).toArray());
            case LENET5 -> lenet5(list, spec);
            case TEACHER -> teacher(list, spec);
            case RESNET20, VGG_SMALL ->
                throw new IllegalArgumentException(spec.preset().id() + " is not a chain");
        }
        list.layer(new OutputLayer.Builder(LossFunction.MCXENT)
                .name("output")
                .nOut(numClasses)
                .activation(Activation.SOFTMAX)
                .build());
        list.setInputType(input.toInputType(spec.preset().convolutional()));
        return list.build();
    }

    private static void dense(ListBuilder list, Architecture spec, int... units) {
        for (int i = 0; i < units.length; i++) {
            DenseLayer.Builder b = new DenseLayer.Builder()
                    .name("dense" + (i + 1))
                    .nOut(units[i])
                    .activation(Activation.RELU);
            if (spec.dropout() > 0) {
                b.dropOut(1 - spec.dropout());
            }
            list.layer(b.build());
        }
    }

    private static void lenet5(ListBuilder list, Architecture spec) {
        list.layer(conv("conv1", 5, spec.scaled(20), Activation.IDENTITY))
                .layer(pool("pool1"))
                .layer(conv("conv2", 5, spec.scaled(50), Activation.IDENTITY))
                .layer(pool("pool2"))
                .layer(new DenseLayer.Builder()
                        .name("dense1")
                        .nOut(spec.scaled(500))
                        .activation(Activation.RELU)
                        .build());
    }

    private static void teacher(ListBuilder list, Architecture spec) {
        list.layer(same(conv("conv1", 3, spec.scaled(32), Activation.IDENTITY)))
                .layer(bn("bn1"))
                .layer(relu("relu1"))
                .layer(same(conv("conv2", 3, spec.scaled(32), Activation.IDENTITY)))
                .layer(bn("bn2"))
                .layer(relu("relu2"))
                .layer(pool("pool1"))
                .layer(same(conv("conv3", 3, spec.scaled(64), Activation.IDENTITY)))
                .layer(bn("bn3"))
                .layer(relu("relu3"))
                .layer(same(conv("conv4", 3, spec.scaled(64), Activation.IDENTITY)))
                .layer(bn("bn4"))
                .layer(relu("relu4"))
                .layer(pool("pool2"))
                .layer(new DenseLayer.Builder()
                        .name("dense1")
                        .nOut(spec.scaled(256))
                        .activation(Activation.RELU)
                        .build())
                .layer(new DropoutLayer.Builder(1 - Math.max(spec.dropout(), 0.3))
                        .name("dropout1")
                        .build());
    }

    private static ConvolutionLayer conv(String name, int k, int filters, Activation act) {
        return new ConvolutionLayer.Builder(k, k)
                .name(name)
                .stride(1, 1)
                .nOut(filters)
                .activation(act)
                .build();
    }

    private static ConvolutionLayer same(ConvolutionLayer c) {
        c.setConvolutionMode(ConvolutionMode.Same);
        return c;
    }

    /** Batch norm without activation: DL4J M2.1 accepts {@code activation(RELU)} on it but never applies it. */
    private static BatchNormalization bn(String name) {
        return new BatchNormalization.Builder().name(name).build();
    }

    private static ActivationLayer relu(String name) {
        return new ActivationLayer.Builder()
                .name(name)
                .activation(Activation.RELU)
                .build();
    }

    private static SubsamplingLayer pool(String name) {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .name(name)
                .kernelSize(2, 2)
                .stride(2, 2)
                .build();
    }
}
