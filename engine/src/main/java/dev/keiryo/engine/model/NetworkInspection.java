package dev.keiryo.engine.model;

import dev.keiryo.engine.api.engine.ModelInspection;
import dev.keiryo.engine.api.model.ModelStats;
import dev.keiryo.engine.api.model.Vertex;
import dev.keiryo.engine.api.model.WeightHistogram;
import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** A network held for the API's {@link ModelInspection}; the caller must not train it meanwhile. */
public final class NetworkInspection implements ModelInspection {
    private final String preset;
    private final ComputationGraph net;
    private final ModelStats stats;
    private final List<Vertex> vertices;

    public NetworkInspection(String preset, ComputationGraph net, InputType input) {
        this.preset = preset;
        this.net = net;
        this.stats = ModelStatistics.of(net, input);
        this.vertices = GraphVertices.of(net, input);
    }

    /** A saved or trained model, with the input its metadata records. */
    public static NetworkInspection of(KeiryoModel model) {
        return new NetworkInspection(
                model.meta().preset(),
                model.net(),
                model.meta().input().toInputType(model.meta().imageShaped()));
    }

    @Override
    public String preset() {
        return preset;
    }

    @Override
    public ModelStats stats() {
        return stats;
    }

    @Override
    public List<Vertex> vertices() {
        return vertices;
    }

    @Override
    public WeightHistogram histogram(int layer, int bins) {
        return WeightHistograms.of(net, layer, bins);
    }
}
