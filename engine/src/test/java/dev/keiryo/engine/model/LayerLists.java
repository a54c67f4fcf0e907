package dev.keiryo.engine.model;

import dev.keiryo.engine.api.KeiryoException;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Writes networks the way Keiryo did before models were graphs, to prove such files still open. */
public final class LayerLists {
    private LayerLists() {}

    /**
     * A graph with one path of layers as DL4J's layer list, the form model zips and version-1 packs
     * held before models were graphs; {@code step} names the caller in the sentence refusing other graphs.
     */
    public static MultiLayerConfiguration toChain(ComputationGraphConfiguration graph, String step) {
        GraphTopology t = new GraphTopology(graph);
        List<String> layers = Layers.names(graph);
        if (!t.isChain()
                || graph.getNetworkInputs().size() != 1
                || layers.size() != t.order().size() - 1) {
            throw new KeiryoException(step + " works on networks with one path of layers so far; this network has"
                    + " branches or merge vertices (e.g. residual sums), so use connection pruning for it.");
        }
        NeuralNetConfiguration d = graph.getDefaultConfiguration();
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(d.getSeed())
                .dataType(d.getDataType())
                .trainingWorkspaceMode(graph.getTrainingWorkspaceMode())
                .inferenceWorkspaceMode(graph.getInferenceWorkspaceMode())
                .cacheMode(graph.getCacheMode())
                .list();
        for (int i = 0; i < layers.size(); i++) {
            LayerVertex v = (LayerVertex) graph.getVertices().get(layers.get(i));
            b.layer(i, v.getLayerConf().getLayer().clone());
            if (v.getPreProcessor() != null) {
                b.inputPreProcessor(i, v.getPreProcessor().clone());
            }
        }
        MultiLayerConfiguration c = b.build();
        c.setIterationCount(graph.getIterationCount());
        c.setEpochCount(graph.getEpochCount());
        return c;
    }

    /** As {@link #toChain(ComputationGraphConfiguration, String)}, with a copy of the parameters. */
    public static MultiLayerNetwork toChain(ComputationGraph graph, String step) {
        MultiLayerNetwork chain = new MultiLayerNetwork(toChain(graph.getConfiguration(), step));
        chain.init();
        chain.setParams(graph.params());
        return chain;
    }
}
