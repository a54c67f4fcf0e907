package dev.keiryo.engine.model;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A chain of layers is a graph with one path: this turns DL4J's layer lists into graphs, so the
 * engine has one model kind. Vertices keep the layers' names (conv1, dense1, ...) where those are
 * present and unique, so tables and files read the same as before; otherwise their positions (0, 1, ...), as DL4J numbers a chain's layers.
 */
public final class Chains {
    /** The name of the network input vertex of every graph Keiryo builds or converts. */
    public static final String INPUT = "input";

    private Chains() {}

    /** The same layers, preprocessors and settings as a graph configuration with one path. */
    public static ComputationGraphConfiguration toGraph(MultiLayerConfiguration chain) {
        MultiLayerConfiguration c = chain.clone();
        List<NeuralNetConfiguration> confs = c.getConfs();
        List<String> names = vertexNames(confs);
        NeuralNetConfiguration first = confs.get(0);
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .seed(first.getSeed())
                .dataType(c.getDataType())
                .trainingWorkspaceMode(c.getTrainingWorkspaceMode())
                .inferenceWorkspaceMode(c.getInferenceWorkspaceMode())
                .cacheMode(c.getCacheMode())
                .graphBuilder()
                .addInputs(INPUT);
        String previous = INPUT;
        for (int i = 0; i < confs.size(); i++) {
            Layer layer = confs.get(i).getLayer();
            layer.setLayerName(names.get(i));
            b.addLayer(names.get(i), layer, c.getInputPreProcess(i), previous);
            previous = names.get(i);
        }
        b.setOutputs(previous);
        ComputationGraphConfiguration g = b.build();
        g.setIterationCount(c.getIterationCount());
        g.setEpochCount(c.getEpochCount());
        return g;
    }

    /**
     * The network as a graph with the same parameters and updater state. DL4J lays out parameters
     * (and updater state) in topological order, which for one path is the chain's order.
     */
    public static ComputationGraph toGraph(MultiLayerNetwork chain) {
        ComputationGraph g = new ComputationGraph(toGraph(chain.getLayerWiseConfigurations()));
        g.init();
        g.setParams(chain.params());
        INDArray state = chain.getUpdater() == null ? null : chain.getUpdater().getStateViewArray();
        if (state != null && state.length() > 0) {
            g.getUpdater().getUpdaterStateViewArray().assign(state);
        }
        return g;
    }

    private static List<String> vertexNames(List<NeuralNetConfiguration> confs) {
        Set<String> seen = new HashSet<>();
        boolean usable = true;
        for (NeuralNetConfiguration c : confs) {
            String n = c.getLayer().getLayerName();
            usable &= n != null && !n.isBlank() && !n.equals(INPUT) && seen.add(n);
        }
        String[] out = new String[confs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = usable ? confs.get(i).getLayer().getLayerName() : String.valueOf(i);
        }
        return List.of(out);
    }
}
