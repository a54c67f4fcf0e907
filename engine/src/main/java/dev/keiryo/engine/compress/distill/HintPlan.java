package dev.keiryo.engine.compress.distill;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.model.Layers;
import dev.keiryo.engine.train.TrainSettings;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
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
            ComputationGraph teacher,
            InputType teacherInput,
            String hintLayer,
            ComputationGraph student,
            InputType studentInput,
            String guidedLayer,
            String where) {
        int h = layerIndex(teacher, hintLayer, "teacher", where + "hint layer");
        int g = layerIndex(student, guidedLayer, "student", where + "guided layer");
        InputType ht = teacher.getConfiguration()
                .getLayerActivationTypes(teacherInput)
                .get(Layers.names(teacher).get(h));
        InputType gt = student.getConfiguration()
                .getLayerActivationTypes(studentInput)
                .get(Layers.names(student).get(g));
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
     * Stage 1's network: the student's vertices that the guided layer depends on (copies of their
     * configuration, starting from the student's current weights), then the regressor and an L2
     * (MSE) loss.
     */
    public ComputationGraph stageOne(ComputationGraph student, InputType studentInput, TrainSettings s) {
        ComputationGraphConfiguration sc = student.getConfiguration();
        GraphBuilder list = new NeuralNetConfiguration.Builder()
                .seed(s.seed())
                .dataType(s.dataType())
                .weightInit(WeightInit.XAVIER)
                .updater(s.optimizer().updater(s.learningRate(), false))
                .graphBuilder()
                .addInputs(sc.getNetworkInputs());
        String guided = Layers.names(sc).get(guidedIndex);
        Set<String> needed = ancestors(sc, guided);
        for (String v : sc.getTopologicalOrderStr()) {
            if (!needed.contains(v) || sc.getNetworkInputs().contains(v)) {
                continue;
            }
            String[] in = sc.getVertexInputs().get(v).toArray(String[]::new);
            if (sc.getVertices().get(v) instanceof LayerVertex lv) {
                list.addLayer(
                        v,
                        lv.getLayerConf().getLayer().clone(),
                        lv.getPreProcessor() == null
                                ? null
                                : lv.getPreProcessor().clone(),
                        in);
            } else {
                list.addVertex(v, sc.getVertices().get(v).clone(), in);
            }
        }
        if (hintType instanceof InputType.InputTypeConvolutional hc) {
            var gc = (InputType.InputTypeConvolutional) guidedType;
            int kh = (int) (gc.getHeight() - hc.getHeight() + 1);
            int kw = (int) (gc.getWidth() - hc.getWidth() + 1);
            list.addLayer(
                    "regressor",
                    new ConvolutionLayer.Builder(kh, kw)
                            .name("regressor")
                            .stride(1, 1)
                            .nOut(hc.getChannels())
                            .convolutionMode(ConvolutionMode.Truncate)
                            .activation(Activation.IDENTITY)
                            .build(),
                    guided);
            list.addLayer(
                    "hint-loss",
                    new CnnLossLayer.Builder(LossFunction.MSE)
                            .activation(Activation.IDENTITY)
                            .build(),
                    "regressor");
            list.setOutputs("hint-loss");
        } else {
            list.addLayer(
                    "regressor",
                    new OutputLayer.Builder(LossFunction.MSE)
                            .nOut(hintType.arrayElementsPerExample())
                            .activation(Activation.IDENTITY)
                            .build(),
                    guided);
            list.setOutputs("regressor");
        }
        list.setInputTypes(studentInput);
        ComputationGraph net = new ComputationGraph(list.build());
        net.init();
        copyLayers(student, net);
        return net;
    }

    /** The vertex and every vertex it reads from, directly or not. */
    private static Set<String> ancestors(ComputationGraphConfiguration c, String vertex) {
        Set<String> out = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(vertex));
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (out.add(v)) {
                todo.addAll(c.getVertexInputs().getOrDefault(v, List.of()));
            }
        }
        return out;
    }

    /** Copies every parameter of the layers both networks have (by vertex name) from one into the other. */
    public static void copyLayers(ComputationGraph from, ComputationGraph to) {
        for (String name : Layers.names(from)) {
            if (to.getConfiguration().getVertices().get(name) instanceof LayerVertex) {
                for (Map.Entry<String, INDArray> e :
                        from.getLayer(name).paramTable().entrySet()) {
                    to.getLayer(name).getParam(e.getKey()).assign(e.getValue());
                }
            }
        }
    }

    /** The position (in {@link Layers#names}) of a hidden layer vertex, by name. */
    static int layerIndex(ComputationGraph net, String name, String which, String what) {
        List<String> all = Layers.names(net);
        List<String> outputs = net.getConfiguration().getNetworkOutputs();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (outputs.contains(all.get(i))) {
                continue;
            }
            names.add(all.get(i));
            if (all.get(i).equals(name)) {
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
