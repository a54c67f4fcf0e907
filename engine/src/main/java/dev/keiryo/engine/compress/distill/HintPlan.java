package dev.keiryo.engine.compress.distill;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.train.TrainSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * FitNets' hint/guided pair (Romero et al. 2015, Fig. 1): the teacher's {@code hint} layer's output
 * is what the student's {@code guided} layer, through a regressor, learns to reproduce in stage 1.
 * The regressor maps the student's shape onto the teacher's: a convolution for conv -> conv (1x1
 * when the spatial sizes match, else the valid kernel that shrinks the student's map to the
 * teacher's, as in the paper), a dense layer when the hint is flat. A flat guided layer cannot be
 * mapped onto a convolutional hint, nor a smaller feature map onto a larger one.
 */
public record HintPlan(
        String hintLayer,
        int hintIndex,
        InputType hintType,
        String guidedLayer,
        int guidedIndex,
        InputType guidedType) {

    public static HintPlan resolve(
            MultiLayerNetwork teacher,
            InputType teacherInput,
            String hintLayer,
            MultiLayerNetwork student,
            InputType studentInput,
            String guidedLayer,
            String where) {
        int h = layerIndex(teacher, hintLayer, "teacher", where + "hint layer");
        int g = layerIndex(student, guidedLayer, "student", where + "guided layer");
        InputType ht = teacher.getLayerWiseConfigurations()
                .getLayerActivationTypes(teacherInput)
                .get(h);
        InputType gt = student.getLayerWiseConfigurations()
                .getLayerActivationTypes(studentInput)
                .get(g);
        boolean hintConv = ht instanceof InputType.InputTypeConvolutional;
        boolean guidedConv = gt instanceof InputType.InputTypeConvolutional;
        if (hintConv && !guidedConv) {
            throw new KeiryoException(where + "hint layer '" + hintLayer + "' is convolutional (" + shape(ht)
                    + ") but guided layer '" + guidedLayer + "' is flat (" + shape(gt)
                    + "), which no regressor can map;"
                    + " choose a convolutional guided layer or a flat (dense) hint layer.");
        }
        if (hintConv) {
            var hc = (InputType.InputTypeConvolutional) ht;
            var gc = (InputType.InputTypeConvolutional) gt;
            if (gc.getHeight() < hc.getHeight() || gc.getWidth() < hc.getWidth()) {
                throw new KeiryoException(
                        where + "guided layer '" + guidedLayer + "' gives " + shape(gt)
                                + " maps, smaller than hint layer '" + hintLayer + "''s " + shape(ht)
                                + ", which a convolutional regressor cannot enlarge; choose an earlier guided layer or a later hint layer.");
            }
        }
        return new HintPlan(hintLayer, h, ht, guidedLayer, g, gt);
    }

    /** A short description of the regressor, e.g. "conv 1x1 8->32" or "dense 400->256". */
    public String regressor() {
        if (hintType instanceof InputType.InputTypeConvolutional hc) {
            var gc = (InputType.InputTypeConvolutional) guidedType;
            return "conv " + (gc.getHeight() - hc.getHeight() + 1) + "x" + (gc.getWidth() - hc.getWidth() + 1) + " "
                    + gc.getChannels() + "->" + hc.getChannels();
        }
        return "dense " + guidedType.arrayElementsPerExample() + "->" + hintType.arrayElementsPerExample();
    }

    /**
     * Stage 1's network: the student's layers up to the guided layer (copies of their configuration,
     * starting from the student's current weights), then the regressor and an L2 (MSE) loss.
     */
    public MultiLayerNetwork stageOne(MultiLayerNetwork student, InputType studentInput, TrainSettings s) {
        MultiLayerConfiguration sc = student.getLayerWiseConfigurations();
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(s.seed())
                .dataType(s.dataType())
                .weightInit(WeightInit.XAVIER)
                .updater(s.optimizer().updater(s.learningRate(), false))
                .list();
        for (int i = 0; i <= guidedIndex; i++) {
            list.layer(sc.getConf(i).getLayer().clone());
        }
        if (hintType instanceof InputType.InputTypeConvolutional hc) {
            var gc = (InputType.InputTypeConvolutional) guidedType;
            int kh = (int) (gc.getHeight() - hc.getHeight() + 1);
            int kw = (int) (gc.getWidth() - hc.getWidth() + 1);
            list.layer(new ConvolutionLayer.Builder(kh, kw)
                    .name("regressor")
                    .stride(1, 1)
                    .nOut(hc.getChannels())
                    .convolutionMode(ConvolutionMode.Truncate)
                    .activation(Activation.IDENTITY)
                    .build());
            list.layer(new CnnLossLayer.Builder(LossFunction.MSE)
                    .name("hint-loss")
                    .activation(Activation.IDENTITY)
                    .build());
        } else {
            list.layer(new OutputLayer.Builder(LossFunction.MSE)
                    .name("regressor")
                    .nOut(hintType.arrayElementsPerExample())
                    .activation(Activation.IDENTITY)
                    .build());
        }
        list.setInputType(studentInput);
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        copyLayers(student, net, guidedIndex);
        return net;
    }

    /** Copies every parameter of layers 0..last from one network into the same layers of another. */
    public static void copyLayers(MultiLayerNetwork from, MultiLayerNetwork to, int last) {
        for (int i = 0; i <= last; i++) {
            for (Map.Entry<String, INDArray> e : from.getLayer(i).paramTable().entrySet()) {
                to.getLayer(i).getParam(e.getKey()).assign(e.getValue());
            }
        }
    }

    static int layerIndex(MultiLayerNetwork net, String name, String which, String what) {
        MultiLayerConfiguration c = net.getLayerWiseConfigurations();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < c.getConfs().size() - 1; i++) {
            String n = c.getConf(i).getLayer().getLayerName();
            names.add(n);
            if (n != null && n.equals(name)) {
                return i;
            }
        }
        throw new KeiryoException(
                what + " '" + name + "' is not a hidden layer of the " + which + "; choose one of " + names + ".");
    }

    static String shape(InputType t) {
        if (t instanceof InputType.InputTypeConvolutional c) {
            return c.getChannels() + "x" + c.getHeight() + "x" + c.getWidth();
        }
        return Long.toString(t.arrayElementsPerExample());
    }
}
