package dev.keiryo.engine.onnx;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.model.Chains;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelMeta;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Imports an ONNX classifier (as {@code torch.onnx.export} writes it) as a Keiryo model: a DL4J graph
 * with the same weights, whose last linear layer becomes a softmax output layer so it can be
 * evaluated, compressed and fine-tuned like Keiryo's own presets. Its output layer's
 * pre-activations are the ONNX model's logits.
 */
public final class OnnxImporter {
    /** What an imported model's metadata names as its preset. */
    public static final String PRESET = "onnx";

    private static final String OUTPUT = "output";

    private OnnxImporter() {}

    /**
     * The model in {@code file}, with {@code classNames} (may be empty) and the normalisation its
     * inputs need.
     *
     * @throws KeiryoException in one sentence naming the file (and node) when it cannot be imported
     */
    public static KeiryoModel read(Path file, List<String> classNames, Normalizer normalization) {
        try {
            return readModel(file, classNames, normalization);
        } catch (KeiryoException e) {
            throw KeiryoException.printable(e);
        }
    }

    private static KeiryoModel readModel(Path file, List<String> classNames, Normalizer normalization) {
        Onnx.ModelProto proto = OnnxProtos.read(file);
        String model = String.valueOf(file.getFileName());
        Onnx.GraphProto graph = proto.getGraph();
        Onnx.ValueInfoProto input = input(model, graph);
        long[] dims = OnnxProtos.shape(input);
        boolean image = dims.length == 4;
        InputShape shape = inputShape(model, input.getName(), dims);
        OnnxGraphReader.Act in = new OnnxGraphReader.Act(
                Chains.INPUT, shape.channels(), shape.height(), shape.width(), image, image ? 4 : 2, false);
        OnnxGraphReader reader = new OnnxGraphReader(model, graph, input.getName(), in);
        for (Onnx.NodeProto node : graph.getNodeList()) {
            reader.read(node);
        }
        String output = outputLayer(model, graph, reader);
        ComputationGraph net = build(
                reader,
                image
                        ? InputType.convolutional(shape.height(), shape.width(), shape.channels())
                        : InputType.feedForward(shape.size()),
                output);
        int classes = (int) net.getLayer(output).getParam("b").length();
        if (!classNames.isEmpty() && classNames.size() != classes) {
            throw new KeiryoException("ONNX model " + model + " predicts " + classes + " classes but the data has "
                    + classNames.size() + "; import it with the data set it was trained on.");
        }
        ModelMeta meta =
                new ModelMeta(ModelMeta.FORMAT_VERSION, PRESET, shape, image, classes, classNames, normalization);
        return new KeiryoModel(net, meta);
    }

    private static Onnx.ValueInfoProto input(String model, Onnx.GraphProto graph) {
        Set<String> weights = new HashSet<>();
        graph.getInitializerList().forEach(t -> weights.add(t.getName()));
        List<Onnx.ValueInfoProto> inputs = new ArrayList<>();
        for (Onnx.ValueInfoProto v : graph.getInputList()) {
            // Older exporters list the weights among the inputs as well.
            if (!weights.contains(v.getName())) {
                inputs.add(v);
            }
        }
        if (inputs.size() != 1) {
            throw new KeiryoException("ONNX model " + model + " has " + inputs.size() + " inputs ("
                    + String.join(
                            ", ",
                            inputs.stream().map(Onnx.ValueInfoProto::getName).toList())
                    + "); Keiryo imports models with one input, a batch of images (N x C x H x W) or of"
                    + " feature vectors (N x F).");
        }
        Onnx.ValueInfoProto v = inputs.get(0);
        int type = v.getType().getTensorType().getElemType();
        if (type != OnnxProtos.FLOAT) {
            throw new KeiryoException("ONNX model " + model + " takes " + OnnxProtos.typeName(type) + " input '"
                    + v.getName() + "'; Keiryo imports models that take float32 input.");
        }
        return v;
    }

    private static InputShape inputShape(String model, String name, long[] dims) {
        boolean known = true;
        for (int i = 1; i < dims.length; i++) {
            known &= dims[i] > 0;
        }
        if ((dims.length != 4 && dims.length != 2) || !known) {
            throw new KeiryoException("ONNX model " + model + " takes input '" + name + "' of shape "
                    + java.util.Arrays.toString(dims).replace("-1", "?") + "; Keiryo imports models that take"
                    + " images N x C x H x W or vectors N x F of a fixed size (only the batch may vary).");
        }
        return dims.length == 4
                ? new InputShape((int) dims[1], (int) dims[2], (int) dims[3])
                : InputShape.flat((int) dims[1]);
    }

    /**
     * Turns the dense layer that computes the class scores into a softmax output layer and returns its
     * name; the scores are what the ONNX graph outputs, maybe after a Softmax, Identity or Dropout.
     */
    private static String outputLayer(String model, Onnx.GraphProto graph, OnnxGraphReader reader) {
        if (graph.getOutputCount() != 1) {
            throw new KeiryoException("ONNX model " + model + " has " + graph.getOutputCount() + " outputs; Keiryo"
                    + " imports classifiers with one output, the class scores.");
        }
        String tensor = graph.getOutput(0).getName();
        OnnxGraphReader.Act out = reader.act(tensor);
        if (out == null) {
            throw new KeiryoException("ONNX model " + model + " outputs '" + tensor + "', which "
                    + (reader.isConstant(tensor) ? "is a constant" : "no node computes (the file may be cut short)")
                    + "; Keiryo imports classifiers whose output is computed from their input.");
        }
        OnnxGraphReader.Plan last = reader.plans.get(out.vertex());
        if (out.rank() != 2 || last == null || !(last.conf() instanceof DenseLayer dense)) {
            throw new KeiryoException("ONNX model " + model + " ends in "
                    + (last == null ? "its input" : last.op() + " giving " + out.describe())
                    + ", not in class scores; Keiryo imports classifiers whose last operator is Gemm or MatMul"
                    + " (one score per class), optionally followed by Softmax.");
        }
        if (dense.getNOut() < 2) {
            throw new KeiryoException("ONNX model " + model + " outputs " + dense.getNOut() + " value per example,"
                    + " as a regression model does; Keiryo imports classifiers with one score per class (two or"
                    + " more classes).");
        }
        for (OnnxGraphReader.Plan p : reader.plans.values()) {
            if (p.inputs().contains(last.name())) {
                throw new KeiryoException("ONNX model " + model + " uses its class scores ('" + last.name()
                        + "') inside the graph as well; Keiryo imports classifiers whose scores are only output.");
            }
        }
        OutputLayer layer = new OutputLayer.Builder(LossFunction.MCXENT)
                .nIn(dense.getNIn())
                .nOut(dense.getNOut())
                .activation(Activation.SOFTMAX)
                .build();
        String name = reader.plans.containsKey(OUTPUT) ? last.name() : OUTPUT;
        reader.plans.remove(last.name());
        reader.plans.put(name, new OnnxGraphReader.Plan(name, layer, last.inputs(), last.op()));
        reader.params.put(name, reader.params.remove(last.name()));
        return name;
    }

    private static ComputationGraph build(OnnxGraphReader reader, InputType inputType, String output) {
        GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(0)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(1e-3))
                .graphBuilder()
                .addInputs(Chains.INPUT)
                .setInputTypes(inputType);
        for (OnnxGraphReader.Plan p : reader.plans.values()) {
            String[] inputs = p.inputs().toArray(String[]::new);
            if (p.conf() instanceof org.deeplearning4j.nn.conf.layers.Layer l) {
                g.addLayer(p.name(), l, inputs);
            } else {
                g.addVertex(p.name(), (GraphVertex) p.conf(), inputs);
            }
        }
        g.setOutputs(output);
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        for (Map.Entry<String, Map<String, INDArray>> e : reader.params.entrySet()) {
            Layer layer = net.getLayer(e.getKey());
            for (Map.Entry<String, INDArray> p : e.getValue().entrySet()) {
                INDArray target = layer.paramTable().get(p.getKey());
                if (target == null) {
                    continue; // batch norm keeps either var or log10stdev, as configured
                }
                INDArray value = p.getValue().castTo(DataType.FLOAT);
                if (target.length() != value.length()) {
                    throw new IllegalStateException(e.getKey() + "_" + p.getKey() + " has " + target.length()
                            + " values, the ONNX tensor " + value.length());
                }
                target.assign(value.reshape(target.shape()));
            }
        }
        return net;
    }
}
